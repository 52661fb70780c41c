package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * Formats durations in every log line and message of the starter one way: the way users
 * write them in {@code application.yml}, such as {@code 10s} or {@code 1s500ms}, so that
 * a value can be copied into the configuration as it is.
 */
public final class Durations {

	private Durations() {
	}

	/**
	 * Formats a duration in Spring's composite style, to the millisecond.
	 * @param duration the duration
	 * @return the duration, such as {@code 2m30s} or {@code 750ms}
	 */
	public static String format(Duration duration) {
		return DurationFormatterUtils.print(duration.truncatedTo(ChronoUnit.MILLIS), DurationFormat.Style.COMPOSITE);
	}

}
