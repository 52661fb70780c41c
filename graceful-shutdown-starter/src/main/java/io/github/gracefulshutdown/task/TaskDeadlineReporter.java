package io.github.gracefulshutdown.task;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends the task drain's wait right after the lifecycle phase that waits for the tasks,
 * whether they all ended or the phase reached its timeout, and reports the tasks still
 * running or queued, which the drain no longer waits for. Runs through a
 * {@code DrainPhaseBoundary}.
 */
class TaskDeadlineReporter implements Runnable {

	private static final Log logger = LogFactory.getLog(TaskDeadlineReporter.class);

	private final String advice;

	private final DrainCoordinator coordinator;

	private final TaskDrain drain;

	/**
	 * Creates the reporter.
	 * @param advice what to change for tasks to get more time, for the log
	 * @param coordinator the application's drain
	 * @param drain the task drain
	 */
	TaskDeadlineReporter(String advice, DrainCoordinator coordinator, TaskDrain drain) {
		this.advice = advice;
		this.coordinator = coordinator;
		this.drain = drain;
	}

	@Override
	public void run() {
		if (!this.coordinator.isDraining()) {
			return;
		}
		TaskDrain.Leftover leftover = this.drain.endWait();
		if (!leftover.isEmpty()) {
			logger.warn("The task drain reached its deadline with " + leftover.describe()
					+ "; the drain no longer waits for " + ((leftover.count() == 1) ? "it. " : "them. ") + this.advice);
		}
	}

}
