package io.github.gracefulshutdown.e2e.scenario;

import java.time.Duration;
import java.util.Locale;

/**
 * Formats durations for people: {@code 50 ms}, {@code 2 s}, {@code 3.4 s}.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Formats a duration in milliseconds below one second, in seconds otherwise, with one
	 * decimal when it is not a whole number of seconds.
	 * @param duration the duration
	 * @return the formatted duration
	 */
	public static String format(Duration duration) {
		long millis = duration.toMillis();
		if (Math.abs(millis) < 1000) {
			return millis + " ms";
		}
		if (millis % 1000 == 0) {
			return (millis / 1000) + " s";
		}
		return String.format(Locale.ROOT, "%.1f s", millis / 1000.0);
	}

}
