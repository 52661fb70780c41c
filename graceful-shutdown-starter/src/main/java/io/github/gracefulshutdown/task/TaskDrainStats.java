package io.github.gracefulshutdown.task;

import java.util.Map;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.report.DrainReportContributor;
import org.jspecify.annotations.Nullable;

/**
 * Counts the long-running tasks: how many run now, how many wait in the queues of covered
 * executors, and what became of them during the drain. Thread-safe. Adds these counts to
 * the drain report.
 */
public final class TaskDrainStats implements DrainReportContributor {

	private final LongRunningTasks tasks;

	private final TaskDrain drain;

	TaskDrainStats(LongRunningTasks tasks, TaskDrain drain) {
		this.tasks = tasks;
		this.drain = drain;
	}

	/**
	 * Returns the number of tasks running now, registered through
	 * {@link LongRunningTasks} or run by a covered executor.
	 * @return the running tasks
	 */
	public int getActiveTasks() {
		return this.tasks.active();
	}

	/**
	 * Returns the number of tasks waiting in the queues of covered
	 * {@code ThreadPoolTaskExecutor} beans.
	 * @return the queued tasks
	 */
	public int getQueuedTasks() {
		return this.drain.queued();
	}

	/**
	 * Returns the number of tasks that have ended since the application started.
	 * @return the completed tasks
	 */
	public long getCompletedTasks() {
		return this.tasks.completed();
	}

	/**
	 * Returns the number of tasks that ended between the start of the drain and the end
	 * of the task drain's wait.
	 * @return the tasks completed during the drain, zero before a drain
	 */
	public long getCompletedDuringDrain() {
		return this.drain.completedDuringDrain();
	}

	/**
	 * Returns the number of tasks still running or queued when the task drain reached its
	 * deadline; the drain did not wait for them any longer.
	 * @return the tasks cut off, zero if none was or no drain ran
	 */
	public long getCutOff() {
		return this.drain.cutOff();
	}

	@Override
	public void contribute(@Nullable Drain drain, Map<String, @Nullable Object> figures) {
		figures.put("tasksActive", getActiveTasks());
		figures.put("tasksQueued", getQueuedTasks());
		figures.put("tasksCompletedDuringDrain", getCompletedDuringDrain());
		figures.put("tasksCutOff", getCutOff());
	}

	@Override
	public String toString() {
		return getActiveTasks() + " running, " + getQueuedTasks() + " queued, " + getCompletedDuringDrain()
				+ " completed during the drain, " + getCutOff() + " cut off";
	}

}
