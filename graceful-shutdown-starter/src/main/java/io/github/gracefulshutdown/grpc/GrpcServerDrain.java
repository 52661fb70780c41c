package io.github.gracefulshutdown.grpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.drain.ActiveRequest;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.Durations;
import io.grpc.Server;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationListener;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.grpc.server.lifecycle.GrpcServerShutdownEvent;

/**
 * Drains the gRPC server within the shutdown's deadline. Spring gRPC's
 * {@link GrpcServerLifecycle} stops first of all lifecycle beans, right after the
 * propagation window, and announces it with a {@link GrpcServerShutdownEvent} on the
 * closing thread; during a drain this listener then does the whole stop before the
 * lifecycle goes on: {@link Server#shutdown()} (a GOAWAY to every connection, a PING, a
 * second GOAWAY, and the listener closed, which is what the end of the window calls for),
 * the end of the health checks still open (watches), the
 * {@link GrpcInFlightDrainListener}s, a wait for the calls in flight until what is left
 * of the deadline (no longer than Spring gRPC's shutdown grace period when it is set),
 * then the calls still running are ended with UNAVAILABLE and, if the server has not
 * terminated within the stop timeout, {@link Server#shutdownNow()}. The lifecycle's own
 * wait then finds the server terminated. Outside a drain (a test context closing) it does
 * nothing and Spring gRPC stops the server as it always does.
 */
public class GrpcServerDrain implements ApplicationListener<GrpcServerShutdownEvent> {

	private static final Log logger = LogFactory.getLog(GrpcServerDrain.class);

	private static final int LONGEST_SHOWN = 5;

	private static final String TERMINATION_GRACE_PERIOD_PROPERTY = "graceful-shutdown.termination-grace-period";

	private final DrainCoordinator coordinator;

	private final GrpcCallTracker calls;

	private final Supplier<Duration> timeLeft;

	private final @Nullable SpringGrpcGracePeriod gracePeriod;

	private final Supplier<List<GrpcInFlightDrainListener>> listeners;

	private final Duration listenerTimeout;

	private final Duration stopTimeout;

	/**
	 * Creates a drain.
	 * @param coordinator the application's drain
	 * @param calls the calls in flight
	 * @param timeLeft what is left of the shutdown's deadline for the calls in flight
	 * @param gracePeriod Spring gRPC's shutdown grace period when the user set it, or
	 * {@code null}
	 * @param listeners supplies the listeners to call once GOAWAY went out
	 * @param listenerTimeout how long the listeners may take between them
	 * @param stopTimeout how long the server may take to terminate once its calls ended,
	 * and how long a send under way on a call may take to return before the call can be
	 * ended with UNAVAILABLE
	 */
	public GrpcServerDrain(DrainCoordinator coordinator, GrpcCallTracker calls, Supplier<Duration> timeLeft,
			@Nullable SpringGrpcGracePeriod gracePeriod, Supplier<List<GrpcInFlightDrainListener>> listeners,
			Duration listenerTimeout, Duration stopTimeout) {
		this.coordinator = coordinator;
		this.calls = calls;
		this.timeLeft = timeLeft;
		this.gracePeriod = gracePeriod;
		this.listeners = listeners;
		this.listenerTimeout = listenerTimeout;
		this.stopTimeout = stopTimeout;
	}

	@Override
	public void onApplicationEvent(GrpcServerShutdownEvent event) {
		if (!this.coordinator.isDraining()) {
			return;
		}
		Server server = event.getServer();
		this.coordinator.beginPhase(DrainPhase.IN_FLIGHT_DRAIN);
		Duration timeout = inFlightTimeout();
		long deadline = System.nanoTime() + timeout.toNanos();
		server.shutdown();
		this.calls.endHealthChecks(this.stopTimeout);
		logger.info("gRPC server sent GOAWAY and stopped accepting connections; " + this.calls.activity().inFlight()
				+ " calls in flight get " + Durations.format(timeout));
		callListeners(timeout, Math.min(deadline, System.nanoTime() + this.listenerTimeout.toNanos()));
		boolean terminated = false;
		try {
			terminated = server.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (!terminated) {
				// The wait for sends under way and the server's termination share
				// the stop timeout
				long stopDeadline = System.nanoTime() + this.stopTimeout.toNanos();
				cutOffCallsInFlight(timeout);
				terminated = server.awaitTermination(Math.max(0, stopDeadline - System.nanoTime()),
						TimeUnit.NANOSECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.calls.cutOffCallsInFlight(Duration.ZERO);
		}
		finally {
			if (!terminated) {
				server.shutdownNow();
			}
		}
	}

	/**
	 * Runs on the thread that stops the server even when the application's event
	 * multicaster has an executor: the server's stop must wait for the drain.
	 * @return {@code false}
	 */
	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

	private Duration inFlightTimeout() {
		Duration left = this.timeLeft.get();
		if (this.gracePeriod != null && this.gracePeriod.duration().compareTo(left) < 0) {
			return this.gracePeriod.duration();
		}
		return left;
	}

	private void cutOffCallsInFlight(Duration timeout) {
		List<ActiveRequest> running = this.calls.callsInFlight();
		long cutOff = this.calls.cutOffCallsInFlight(this.stopTimeout);
		if (cutOff > 0) {
			String longest = running.stream()
				.limit(LONGEST_SHOWN)
				.map(ActiveRequest::toString)
				.collect(Collectors.joining(", "));
			logger.warn(cutOff + ((cutOff == 1) ? " gRPC call was" : " gRPC calls were") + " still running "
					+ Durations.format(timeout) + " after GOAWAY and ended with UNAVAILABLE"
					+ (longest.isEmpty() ? "" : "; longest running: " + longest)
					+ ". End long-lived calls in a GrpcInFlightDrainListener, or give the calls more time" + " ("
					+ timeoutProperties() + ").");
		}
	}

	private String timeoutProperties() {
		return TERMINATION_GRACE_PERIOD_PROPERTY
				+ ((this.gracePeriod != null) ? ", " + this.gracePeriod.property() : "");
	}

	private void callListeners(Duration timeout, long deadline) {
		List<GrpcInFlightDrainListener> toCall = this.listeners.get();
		if (toCall.isEmpty()) {
			return;
		}
		Thread thread = new Thread(() -> toCall.forEach((listener) -> callSafely(listener, timeout)),
				"graceful-shutdown-grpc-listeners");
		thread.setDaemon(true);
		thread.start();
		try {
			long wait = deadline - System.nanoTime();
			if (wait > 0) {
				TimeUnit.NANOSECONDS.timedJoin(thread, wait);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (thread.isAlive()) {
			logger.warn("gRPC in-flight drain listeners still running after " + Durations.format(this.listenerTimeout)
					+ "; the drain goes on without waiting for them");
		}
	}

	private static void callSafely(GrpcInFlightDrainListener listener, Duration timeLeft) {
		try {
			listener.inFlightDrainStarted(timeLeft);
		}
		catch (Throwable ex) {
			logger.warn("gRPC in-flight drain listener " + listener + " failed; the drain goes on", ex);
		}
	}

}
