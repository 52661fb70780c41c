package io.github.gracefulshutdown.drain;

import java.time.Duration;

/**
 * Formats durations in every log line and message of the starter one way: the way users
 * write them in {@code application.yml}, such as {@code 10s} or {@code 1s500ms}, so that
 * a value can be copied into the configuration as it is.
 */
public final class Durations {

	private static final long[] UNIT_MILLIS = { 86_400_000, 3_600_000, 60_000, 1_000, 1 };

	private static final String[] UNIT_SUFFIXES = { "d", "h", "m", "s", "ms" };

	private Durations() {
	}

	/**
	 * Formats a duration in Spring's composite style, to the millisecond: each unit from
	 * days to milliseconds that is not zero, largest first. Written out rather than
	 * delegated to Spring's formatter, whose set-up costs every application's startup for
	 * the one line the starter logs then.
	 * @param duration the duration
	 * @return the duration, such as {@code 2m30s} or {@code 750ms}
	 */
	public static String format(Duration duration) {
		if (duration.isNegative()) {
			return "-" + format(duration.negated());
		}
		long left = duration.toMillis();
		if (left == 0) {
			return "0s";
		}
		StringBuilder text = new StringBuilder();
		for (int unit = 0; unit < UNIT_MILLIS.length; unit++) {
			long count = left / UNIT_MILLIS[unit];
			if (count != 0) {
				text.append(count).append(UNIT_SUFFIXES[unit]);
				left -= count * UNIT_MILLIS[unit];
			}
		}
		return text.toString();
	}

}
