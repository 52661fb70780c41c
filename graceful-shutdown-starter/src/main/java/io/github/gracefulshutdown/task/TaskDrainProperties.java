package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties for awaiting long-running tasks during the drain.
 */
@ConfigurationProperties("graceful-shutdown.tasks")
public class TaskDrainProperties {

	/**
	 * How long the drain waits for long-running tasks after the in-flight drain, counted
	 * in the shutdown budget. When not set, tasks are awaited alongside the requests in
	 * flight, within the in-flight deadline, and add nothing to the budget.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration timeout;

	/**
	 * Coverage of Spring-managed executors.
	 */
	private final Executors executors = new Executors();

	public @Nullable Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(@Nullable Duration timeout) {
		this.timeout = timeout;
	}

	public Executors getExecutors() {
		return this.executors;
	}

	/**
	 * Coverage of Spring-managed executors.
	 */
	public static class Executors {

		/**
		 * Whether the tasks run by the application's ThreadPoolTaskExecutor,
		 * ThreadPoolTaskScheduler and SimpleAsyncTaskExecutor beans (@Async methods,
		 * scheduled tasks) count as long-running tasks and are awaited during the drain.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
