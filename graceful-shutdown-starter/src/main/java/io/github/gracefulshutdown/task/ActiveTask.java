package io.github.gracefulshutdown.task;

import java.time.Duration;

import io.github.gracefulshutdown.drain.Durations;

/**
 * A task that is running, as shown in logs and reports.
 *
 * @param name what the task is
 * @param runningFor how long it has been running
 */
public record ActiveTask(String name, Duration runningFor) {

	@Override
	public String toString() {
		return this.name + " (running for " + Durations.format(this.runningFor) + ")";
	}

}
