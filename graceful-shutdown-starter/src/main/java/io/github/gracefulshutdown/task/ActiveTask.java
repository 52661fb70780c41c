package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.Locale;

/**
 * A task that is running, as shown in logs and reports.
 *
 * @param name what the task is
 * @param runningFor how long it has been running
 */
public record ActiveTask(String name, Duration runningFor) {

	@Override
	public String toString() {
		return this.name + " (running for " + format(this.runningFor) + ")";
	}

	static String format(Duration duration) {
		long millis = duration.toMillis();
		return (millis < 1000) ? millis + "ms" : String.format(Locale.ROOT, "%.1fs", millis / 1000.0);
	}

}
