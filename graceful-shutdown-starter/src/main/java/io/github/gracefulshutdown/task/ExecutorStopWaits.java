package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.DrainCoordinator;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.context.LifecycleProcessor;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Bounds the wait of Spring's own stop of the executors, right before their lifecycle
 * phase, after the task drain: when the task drain reached its deadline with tasks left
 * over, their time is spent and the stop gets none, so a task that ignores interrupts
 * cannot add another timeout to the shutdown; otherwise the stop gets what is left until
 * the shutdown's deadline, for the tasks of executors the drain does not count, which
 * share that phase. Runs through a {@code DrainPhaseBoundary}.
 */
class ExecutorStopWaits implements Runnable {

	private final DrainCoordinator coordinator;

	private final TaskDrain drain;

	private final ExecutorTaskCoverage coverage;

	private final BeanFactory beanFactory;

	private final Supplier<Duration> timeLeft;

	/**
	 * Creates the bound.
	 * @param coordinator the application's drain
	 * @param drain the task drain
	 * @param coverage the coverage of executors
	 * @param beanFactory where to find the lifecycle processor
	 * @param timeLeft what is left until the shutdown's deadline
	 */
	ExecutorStopWaits(DrainCoordinator coordinator, TaskDrain drain, ExecutorTaskCoverage coverage,
			BeanFactory beanFactory, Supplier<Duration> timeLeft) {
		this.coordinator = coordinator;
		this.drain = drain;
		this.coverage = coverage;
		this.beanFactory = beanFactory;
		this.timeLeft = timeLeft;
	}

	@Override
	public void run() {
		if (this.coordinator.isDraining()
				&& this.beanFactory.getBean(AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME,
						LifecycleProcessor.class) instanceof DefaultLifecycleProcessor lifecycleProcessor) {
			this.coverage.limitStopWaits(lifecycleProcessor,
					(this.drain.cutOff() > 0) ? Duration.ZERO : this.timeLeft.get());
		}
	}

}
