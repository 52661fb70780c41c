package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PropagationWindow} that ends once traffic has stopped: it lasts at least a
 * minimum delay, then ends as soon as no new request has arrived for a quiet period, and
 * never lasts longer than a maximum delay. Requests still routed to the application mean
 * endpoint removal has not reached everything yet; silence means it has.
 */
public final class AdaptivePropagationWindow implements PropagationWindow {

	private final long minNanos;

	private final long quietNanos;

	private final long maxNanos;

	private final RequestActivity activity;

	/**
	 * Creates an adaptive window.
	 * @param minDelay the shortest the window lasts
	 * @param quietPeriod how long without a new request ends the window
	 * @param maxDelay the longest the window lasts, at least {@code minDelay}
	 * @param activity where the arrival of requests is recorded
	 */
	public AdaptivePropagationWindow(Duration minDelay, Duration quietPeriod, Duration maxDelay,
			RequestActivity activity) {
		if (minDelay.isNegative() || quietPeriod.isNegative() || quietPeriod.isZero()
				|| maxDelay.compareTo(minDelay) < 0) {
			throw new IllegalArgumentException("Expected 0 <= minDelay <= maxDelay and a positive quietPeriod, got "
					+ minDelay + ", " + quietPeriod + ", " + maxDelay);
		}
		this.minNanos = minDelay.toNanos();
		this.quietNanos = quietPeriod.toNanos();
		this.maxNanos = maxDelay.toNanos();
		this.activity = activity;
	}

	@Override
	public void await(Drain drain) throws InterruptedException {
		long remaining;
		while ((remaining = remainingNanos(drain)) > 0) {
			TimeUnit.NANOSECONDS.sleep(remaining);
		}
	}

	@Override
	public Duration maxLength() {
		return Duration.ofNanos(this.maxNanos);
	}

	/**
	 * Returns how much longer the window lasts if no further request arrives.
	 * @param drain the running drain
	 * @return nanoseconds until the window ends, zero or less if it has ended
	 */
	long remainingNanos(Drain drain) {
		long lastRequest = this.activity.lastRequestAfterDrainStart(drain).map(Duration::toNanos).orElse(0L);
		return remainingNanos(drain.elapsedNanos(), lastRequest, this.minNanos, this.quietNanos, this.maxNanos);
	}

	/**
	 * Decides how much longer an adaptive window lasts if no further request arrives.
	 * @param elapsed time since the drain started
	 * @param lastRequest time from the start of the drain to the last request received,
	 * zero if none arrived
	 * @param min the shortest window
	 * @param quiet the quiet period that ends the window
	 * @param max the longest window
	 * @return time until the window ends, zero or less if it has ended (all values in
	 * nanoseconds)
	 */
	static long remainingNanos(long elapsed, long lastRequest, long min, long quiet, long max) {
		long end = Math.min(max, Math.max(min, lastRequest + quiet));
		return end - elapsed;
	}

	@Override
	public String toString() {
		return "adaptive, at least " + Durations.format(Duration.ofNanos(this.minNanos)) + ", ends after "
				+ Durations.format(Duration.ofNanos(this.quietNanos)) + " without requests, at most "
				+ Durations.format(Duration.ofNanos(this.maxNanos));
	}

}
