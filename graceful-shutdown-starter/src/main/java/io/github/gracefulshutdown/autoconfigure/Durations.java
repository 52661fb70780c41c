package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;

/**
 * Formats durations the way users write them in {@code application.yml}.
 */
final class Durations {

	private Durations() {
	}

	static String format(Duration duration) {
		return DurationFormatterUtils.print(duration, DurationFormat.Style.COMPOSITE);
	}

}
