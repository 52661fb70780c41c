package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Ends the task drain's wait right after the lifecycle phase that waits for the tasks,
 * whether they all ended or the phase reached its timeout: reports the tasks still
 * running or queued, which the drain no longer waits for, and bounds the executors' own
 * stop, later in the shutdown. When tasks were left over, their time is spent and that
 * stop gets none; otherwise it gets what is left until the shutdown's deadline, for the
 * tasks of executors the drain does not count, which share its lifecycle phase. Runs
 * through a {@code DrainPhaseBoundary}.
 */
class TaskDeadlineReporter implements Runnable {

	private static final Log logger = LogFactory.getLog(TaskDeadlineReporter.class);

	private final String advice;

	private final DrainCoordinator coordinator;

	private final TaskDrain drain;

	private final @Nullable ExecutorTaskCoverage coverage;

	private final BeanFactory beanFactory;

	private final Supplier<Duration> timeLeft;

	/**
	 * Creates the reporter.
	 * @param advice what to change for tasks to get more time, for the log
	 * @param coordinator the application's drain
	 * @param drain the task drain
	 * @param coverage the coverage of executors, if on
	 * @param beanFactory where to find the lifecycle processor
	 * @param timeLeft what is left until the shutdown's deadline
	 */
	TaskDeadlineReporter(String advice, DrainCoordinator coordinator, TaskDrain drain,
			@Nullable ExecutorTaskCoverage coverage, BeanFactory beanFactory, Supplier<Duration> timeLeft) {
		this.advice = advice;
		this.coordinator = coordinator;
		this.drain = drain;
		this.coverage = coverage;
		this.beanFactory = beanFactory;
		this.timeLeft = timeLeft;
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
		if (this.coverage != null && this.beanFactory.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME,
				LifecycleProcessor.class) instanceof DefaultLifecycleProcessor lifecycleProcessor) {
			this.coverage.limitStopWaits(lifecycleProcessor, leftover.isEmpty() ? this.timeLeft.get() : Duration.ZERO);
		}
	}

}
