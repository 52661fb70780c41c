package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PropagationWindow} that keeps serving while routers still send: it lasts at
 * least its floor, then ends as soon as no new request has arrived for a quiet period,
 * and never lasts longer than its ceiling. Requests still routed to the application mean
 * endpoint removal has not reached everything yet; silence means it has.
 */
public final class ExtendingPropagationWindow implements PropagationWindow {

	private final long floorNanos;

	private final long quietNanos;

	private final long ceilingNanos;

	private final RequestActivity activity;

	/**
	 * Creates a window that extends while requests arrive.
	 * @param floor the shortest the window lasts
	 * @param quietPeriod how long without a new request ends the window
	 * @param ceiling the longest the window lasts, at least {@code floor}
	 * @param activity where the arrival of requests is recorded
	 */
	public ExtendingPropagationWindow(Duration floor, Duration quietPeriod, Duration ceiling,
			RequestActivity activity) {
		if (floor.isNegative() || quietPeriod.isNegative() || quietPeriod.isZero() || ceiling.compareTo(floor) < 0) {
			throw new IllegalArgumentException("Expected 0 <= floor <= ceiling and a positive quietPeriod, got " + floor
					+ ", " + quietPeriod + ", " + ceiling);
		}
		this.floorNanos = floor.toNanos();
		this.quietNanos = quietPeriod.toNanos();
		this.ceilingNanos = ceiling.toNanos();
		this.activity = activity;
	}

	@Override
	public WindowEndReason await(Drain drain) throws InterruptedException {
		long remaining;
		while ((remaining = remainingNanos(drain)) > 0) {
			TimeUnit.NANOSECONDS.sleep(remaining);
		}
		return endReason(lastRequestNanos(drain), this.floorNanos, this.quietNanos, this.ceilingNanos);
	}

	@Override
	public Duration minLength() {
		return Duration.ofNanos(this.floorNanos);
	}

	@Override
	public Duration maxLength() {
		return Duration.ofNanos(this.ceilingNanos);
	}

	/**
	 * Returns how much longer the window lasts if no further request arrives.
	 * @param drain the running drain
	 * @return nanoseconds until the window ends, zero or less if it has ended
	 */
	long remainingNanos(Drain drain) {
		return remainingNanos(drain.elapsedNanos(), lastRequestNanos(drain), this.floorNanos, this.quietNanos,
				this.ceilingNanos);
	}

	private long lastRequestNanos(Drain drain) {
		return this.activity.lastRequestAfterDrainStart(drain).map(Duration::toNanos).orElse(0L);
	}

	/**
	 * Decides how much longer the window lasts if no further request arrives.
	 * @param elapsed time since the drain started
	 * @param lastRequest time from the start of the drain to the last request received,
	 * zero if none arrived
	 * @param floor the shortest window
	 * @param quiet the quiet period that ends the window
	 * @param ceiling the longest window
	 * @return time until the window ends, zero or less if it has ended (all values in
	 * nanoseconds)
	 */
	static long remainingNanos(long elapsed, long lastRequest, long floor, long quiet, long ceiling) {
		long end = Math.min(ceiling, Math.max(floor, lastRequest + quiet));
		return end - elapsed;
	}

	/**
	 * Decides why the window ended.
	 * @param lastRequest time from the start of the drain to the last request received,
	 * zero if none arrived
	 * @param floor the shortest window
	 * @param quiet the quiet period that ends the window
	 * @param ceiling the longest window
	 * @return {@link WindowEndReason#CEILING} if the quiet period would have ended after
	 * the ceiling, {@link WindowEndReason#QUIET} if after the floor,
	 * {@link WindowEndReason#FLOOR} otherwise (all values in nanoseconds)
	 */
	static WindowEndReason endReason(long lastRequest, long floor, long quiet, long ceiling) {
		long quietEnds = lastRequest + quiet;
		if (quietEnds > ceiling) {
			return WindowEndReason.CEILING;
		}
		return (quietEnds > floor) ? WindowEndReason.QUIET : WindowEndReason.FLOOR;
	}

	@Override
	public String toString() {
		return "at least " + Durations.format(minLength()) + ", extended until "
				+ Durations.format(Duration.ofNanos(this.quietNanos)) + " without requests, at most "
				+ Durations.format(maxLength());
	}

}
