package io.github.gracefulshutdown.task;

import org.springframework.core.Ordered;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Makes the runs of the fixed-delay tasks that Spring's scheduling registers
 * ({@code @Scheduled(fixedDelay = ...)} methods, and tasks a {@link SchedulingConfigurer}
 * adds) count as long-running tasks. A {@link SimpleAsyncTaskScheduler}, the scheduler
 * Spring Boot builds when {@code spring.threads.virtual.enabled} is {@code true}, runs
 * them on its own scheduler thread rather than through {@code execute}, so the task
 * decorator that covers its other tasks never sees them.
 * <p>
 * Wraps the scheduler of the registrar in a {@link FixedDelayRegisteringScheduler}. It is
 * ordered last, so that it wraps the scheduler an application's configurer sets.
 * Fixed-delay tasks that application code schedules on the scheduler bean itself do not
 * pass through the registrar and are not covered.
 */
final class FixedDelayTaskCoverage implements SchedulingConfigurer, Ordered {

	private final LongRunningTasks tasks;

	FixedDelayTaskCoverage(LongRunningTasks tasks) {
		this.tasks = tasks;
	}

	@Override
	public void configureTasks(ScheduledTaskRegistrar registrar) {
		TaskScheduler scheduler = registrar.getScheduler();
		if (scheduler != null && !(scheduler instanceof FixedDelayRegisteringScheduler)) {
			registrar.setTaskScheduler(new FixedDelayRegisteringScheduler(scheduler, this.tasks));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
