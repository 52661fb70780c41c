package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

import org.jspecify.annotations.Nullable;

/**
 * Counts the requests the application receives and finishes. Cheap enough to be told of
 * every request: outside a drain a request costs two counter updates; during a drain it
 * also records when it arrived, which is what the window's extension and the measured
 * propagation lag are made of.
 */
public final class RequestActivity {

	private static final long NONE = Long.MIN_VALUE;

	/**
	 * How precisely the arrival of the last request is recorded: requests that arrive
	 * within this of the recorded one leave it alone, so that busy request threads do not
	 * all write to one memory location.
	 */
	private static final long RESOLUTION_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final LongAdder inFlight = new LongAdder();

	private final LongAdder receivedWhileDraining = new LongAdder();

	private volatile long lastReceivedWhileDrainingNanos = NONE;

	private final @Nullable RequestActivity windowActivity;

	private final LongSupplier inFlightCountedElsewhere;

	/**
	 * Creates the activity of the requests the propagation window follows.
	 */
	public RequestActivity() {
		this.windowActivity = null;
		this.inFlightCountedElsewhere = () -> 0;
	}

	/**
	 * Creates the activity of traffic served beside the requests the propagation window
	 * follows (gRPC calls, say), counted on its own: its arrivals during a drain are
	 * arrivals of {@code windowActivity} too, so that the window keeps serving while
	 * either kind of traffic arrives. Its requests in flight are those that
	 * {@code inFlight} counts, which it does without a counter update per request (from a
	 * table of the requests, say), plus those reported to
	 * {@link #requestReceived(boolean)} and {@link #requestCompleted()}; its arrivals
	 * during a drain are reported to {@link #drainTrafficReceived()}.
	 * @param windowActivity the activity the propagation window follows
	 * @param inFlight counts the requests in flight that are not reported to this
	 * activity
	 */
	public RequestActivity(RequestActivity windowActivity, LongSupplier inFlight) {
		this.windowActivity = windowActivity;
		this.inFlightCountedElsewhere = inFlight;
	}

	private volatile long cutOff;

	/**
	 * Records that a request arrived.
	 * @param drainTraffic whether the request is traffic that arrived during a drain:
	 * routed to the application although its endpoint is being removed (probes and
	 * actuator requests are not)
	 */
	public void requestReceived(boolean drainTraffic) {
		this.inFlight.increment();
		if (drainTraffic) {
			drainTrafficReceived();
		}
	}

	/**
	 * Records that a request arrived during a drain, routed to the application although
	 * its endpoint is being removed, without counting it in flight: for traffic whose
	 * requests in flight are counted elsewhere (see
	 * {@link #RequestActivity(RequestActivity, LongSupplier)}).
	 */
	public void drainTrafficReceived() {
		this.receivedWhileDraining.increment();
		long now = System.nanoTime();
		arrivedWhileDraining(now);
		if (this.windowActivity != null) {
			this.windowActivity.arrivedWhileDraining(now);
		}
	}

	private void arrivedWhileDraining(long now) {
		long last = this.lastReceivedWhileDrainingNanos;
		if (last == NONE || now - last >= RESOLUTION_NANOS) {
			this.lastReceivedWhileDrainingNanos = now;
		}
	}

	/**
	 * Records that a request has finished.
	 */
	public void requestCompleted() {
		this.inFlight.decrement();
	}

	/**
	 * Returns how many requests are in flight.
	 * @return the number of requests received and not finished yet
	 */
	public long inFlight() {
		return this.inFlight.sum() + this.inFlightCountedElsewhere.getAsLong();
	}

	/**
	 * Returns how many requests arrived while a drain was running, probes and actuator
	 * requests left out.
	 * @return the number of requests received since the drain started
	 */
	public long receivedWhileDraining() {
		return this.receivedWhileDraining.sum();
	}

	/**
	 * Records how many requests were still in flight when the in-flight drain reached its
	 * deadline.
	 * @param requests the number of requests cut off
	 */
	public void requestsCutOff(long requests) {
		this.cutOff = requests;
	}

	/**
	 * Returns how many requests were still in flight when the in-flight drain reached its
	 * deadline.
	 * @return the number of requests cut off, zero if none was or no drain ran
	 */
	public long cutOff() {
		return this.cutOff;
	}

	/**
	 * Returns how long after the start of the drain the last request arrived: the
	 * propagation lag this application measured, and the shortest window that would have
	 * served every request.
	 * @param drain the running or completed drain
	 * @return the time from the start of the drain to the last request received, or empty
	 * if no request arrived during the drain
	 */
	public Optional<Duration> lastRequestAfterDrainStart(Drain drain) {
		long last = this.lastReceivedWhileDrainingNanos;
		if (last == NONE) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofNanos(Math.max(0, drain.nanosSinceStart(last))));
	}

}
