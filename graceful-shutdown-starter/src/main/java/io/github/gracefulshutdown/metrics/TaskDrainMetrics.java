package io.github.gracefulshutdown.metrics;

import io.github.gracefulshutdown.task.TaskDrainStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters for the long-running tasks the application holds: what a platform scaler reads
 * to keep a deployment alive while it still holds work, and to retire it once it holds
 * none.
 */
public class TaskDrainMetrics implements MeterBinder {

	private final TaskDrainStats stats;

	/**
	 * Creates the meters' source.
	 * @param stats the long-running tasks' counts
	 */
	public TaskDrainMetrics(TaskDrainStats stats) {
		this.stats = stats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("graceful.shutdown.tasks.active", this.stats, TaskDrainStats::getActiveTasks)
			.description("Long-running tasks running now")
			.register(registry);
		Gauge.builder("graceful.shutdown.tasks.queued", this.stats, TaskDrainStats::getQueuedTasks)
			.description("Tasks waiting in the queues of covered executors")
			.register(registry);
		FunctionCounter.builder("graceful.shutdown.tasks.completed", this.stats, TaskDrainStats::getCompletedTasks)
			.description("Long-running tasks that have ended")
			.register(registry);
		FunctionCounter.builder("graceful.shutdown.tasks.cut.off", this.stats, TaskDrainStats::getCutOff)
			.description("Long-running tasks still running or queued when the task drain reached its deadline")
			.register(registry);
	}

}
