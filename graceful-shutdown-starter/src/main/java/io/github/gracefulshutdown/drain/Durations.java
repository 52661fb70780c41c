package io.github.gracefulshutdown.drain;

import java.time.Duration;

/**
 * Formats durations for log messages the way users write them in configuration.
 */
final class Durations {

	private Durations() {
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis % 1000 == 0) ? (millis / 1000) + "s" : millis + "ms";
	}

}
