package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A {@link PropagationWindow} whose floor is the moment the platform published the
 * removal of the application's endpoint, plus a tail for the routers to apply it. Past
 * that floor it extends while requests arrive, as {@link ExtendingPropagationWindow}
 * does, and it never lasts longer than its ceiling.
 * <p>
 * What the watch cannot see never lengthens the window: when it fails (the platform
 * refuses, cannot be reached, hangs or answers nonsense) the window falls back to its
 * configured floor, with one warning. A watch that works and has not seen the removal is
 * different: the platform has not told the routers either, so they still send, and the
 * window keeps serving up to its ceiling.
 */
public final class EndpointAwarePropagationWindow implements PropagationWindow {

	private static final Log logger = LogFactory.getLog(EndpointAwarePropagationWindow.class);

	private final long fallbackFloorNanos;

	private final long tailNanos;

	private final long quietNanos;

	private final long ceilingNanos;

	private final RequestActivity activity;

	private final EndpointRemovalWatch watch;

	/**
	 * Creates a window that ends a tail after the endpoint's removal was published.
	 * @param fallbackFloor the floor when the watch cannot tell
	 * @param quietPeriod how long without a new request ends the window past its floor
	 * @param ceiling the longest the window lasts, at least {@code fallbackFloor}
	 * @param activity where the arrival of requests is recorded
	 * @param watch what learns when the removal was published, started with the window;
	 * its tail is how long after the removal the window lasts at least
	 */
	public EndpointAwarePropagationWindow(Duration fallbackFloor, Duration quietPeriod, Duration ceiling,
			RequestActivity activity, EndpointRemovalWatch watch) {
		Duration tail = watch.tail();
		if (fallbackFloor.isNegative() || tail.isNegative() || quietPeriod.isNegative() || quietPeriod.isZero()
				|| ceiling.compareTo(fallbackFloor) < 0) {
			throw new IllegalArgumentException(
					"Expected 0 <= fallbackFloor <= ceiling, tail >= 0 and a positive quietPeriod, got " + fallbackFloor
							+ ", " + tail + ", " + quietPeriod + ", " + ceiling);
		}
		this.fallbackFloorNanos = fallbackFloor.toNanos();
		this.tailNanos = tail.toNanos();
		this.quietNanos = quietPeriod.toNanos();
		this.ceilingNanos = ceiling.toNanos();
		this.activity = activity;
		this.watch = watch;
	}

	@Override
	public WindowEndReason await(Drain drain) throws InterruptedException {
		drain.watchEndpoint();
		CompletableFuture<Long> removal = start();
		try {
			Floor floor = floor(drain, removal);
			drain.moveWindowFloor(Duration.ofNanos(floor.nanos()));
			long remaining;
			while ((remaining = ExtendingPropagationWindow.remainingNanos(drain.elapsedNanos(), lastRequestNanos(drain),
					floor.nanos(), this.quietNanos, this.ceilingNanos)) > 0) {
				TimeUnit.NANOSECONDS.sleep(remaining);
			}
			boolean requestsArrived = this.activity.lastRequestAfterDrainStart(drain).isPresent();
			WindowEndReason reason = requestsArrived ? ExtendingPropagationWindow.endReason(lastRequestNanos(drain),
					floor.nanos(), this.quietNanos, this.ceilingNanos) : WindowEndReason.FLOOR;
			return switch (floor.source()) {
				case REMOVAL -> (reason == WindowEndReason.FLOOR) ? WindowEndReason.ENDPOINT_REMOVED : reason;
				case CEILING -> WindowEndReason.CEILING;
				case FALLBACK -> reason;
			};
		}
		finally {
			removal.cancel(true);
		}
	}

	/**
	 * Starts the watch; a watch that fails to start, or returns no result, fails its
	 * result, so that the window falls back to its floor.
	 */
	private CompletableFuture<Long> start() {
		try {
			CompletableFuture<Long> removal = this.watch.start();
			return (removal != null) ? removal : CompletableFuture
				.failedFuture(new IllegalStateException(this.watch.getClass().getName() + ".start() returned null"));
		}
		catch (RuntimeException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private Floor floor(Drain drain, CompletableFuture<Long> removal) throws InterruptedException {
		try {
			long published = removal.get(Math.max(0, this.ceilingNanos - drain.elapsedNanos()), TimeUnit.NANOSECONDS);
			long publishedAfter = Math.max(0, drain.nanosSinceStart(published));
			drain.endpointRemoved(Duration.ofNanos(publishedAfter));
			logger.info("The removal of this application's endpoint was published "
					+ Durations.format(Duration.ofNanos(publishedAfter)) + " after the drain started");
			return new Floor(Math.min(this.ceilingNanos, publishedAfter + this.tailNanos), FloorSource.REMOVAL);
		}
		catch (TimeoutException ex) {
			logger.warn("The removal of this application's endpoint was still not published when the window reached "
					+ "its ceiling (" + Durations.format(maxLength()) + "): routers may still send to it");
			return new Floor(this.ceilingNanos, FloorSource.CEILING);
		}
		catch (ExecutionException ex) {
			return fallBack(ex.getCause());
		}
		catch (RuntimeException ex) {
			// A watch of the application's cancelled its result or completed it empty
			return fallBack(ex);
		}
	}

	private Floor fallBack(Throwable cause) {
		String why = (cause instanceof EndpointWatchException) ? cause.getMessage()
				: "The watch of this application's endpoint failed: " + cause + ".";
		logger.warn(why + " The window falls back to its floor of "
				+ Durations.format(Duration.ofNanos(this.fallbackFloorNanos)) + ".");
		return new Floor(this.fallbackFloorNanos, FloorSource.FALLBACK);
	}

	private long lastRequestNanos(Drain drain) {
		return this.activity.lastRequestAfterDrainStart(drain).map(Duration::toNanos).orElse(0L);
	}

	/**
	 * Returns the shortest the window lasts: a tail after a removal published at once, or
	 * its fallback floor if that is shorter.
	 * @return the lower bound of the window
	 */
	@Override
	public Duration minLength() {
		return Duration.ofNanos(Math.min(this.tailNanos, this.fallbackFloorNanos));
	}

	@Override
	public Duration maxLength() {
		return Duration.ofNanos(this.ceilingNanos);
	}

	@Override
	public String toString() {
		return "until the endpoint's removal was published and " + Durations.format(Duration.ofNanos(this.tailNanos))
				+ " more (" + Durations.format(Duration.ofNanos(this.fallbackFloorNanos))
				+ " if that cannot be watched), extended until " + Durations.format(Duration.ofNanos(this.quietNanos))
				+ " without requests, at most " + Durations.format(maxLength());
	}

	/**
	 * The floor the window ended up with.
	 *
	 * @param nanos the floor, counted from the start of the drain
	 * @param source where it comes from
	 */
	private record Floor(long nanos, FloorSource source) {

	}

	/**
	 * Where the floor of the window comes from.
	 */
	private enum FloorSource {

		/**
		 * The removal of the endpoint was published: the floor is a tail after it.
		 */
		REMOVAL,

		/**
		 * The removal was not published by the ceiling: the floor is the ceiling.
		 */
		CEILING,

		/**
		 * The watch failed: the floor is the configured one.
		 */
		FALLBACK

	}

}
