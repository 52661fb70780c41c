package io.github.gracefulshutdown.task;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.SchedulingAwareRunnable;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.scheduling.Trigger;

/**
 * A {@link TaskScheduler} that hands every task to the scheduler it wraps, and makes each
 * run of a fixed-delay task a long-running task while it runs, unless a covered executor
 * already counts it. A run is named as Spring describes the task: for a
 * {@code @Scheduled} method, its class and method ({@code com.example.Reports.refresh}).
 * <p>
 * The run is checked on the thread that runs it: a {@code ThreadPoolTaskScheduler} runs
 * it inside its covered task decorator, so it already counts under the scheduler's name,
 * while a {@code SimpleAsyncTaskScheduler} runs it on its own scheduler thread, which no
 * task decorator reaches. The qualifier a task carries ({@code @Scheduled(scheduler =
 * ...)}) stays visible to the scheduler it wraps.
 */
final class FixedDelayRegisteringScheduler implements TaskScheduler {

	private final TaskScheduler scheduler;

	private final LongRunningTasks tasks;

	FixedDelayRegisteringScheduler(TaskScheduler scheduler, LongRunningTasks tasks) {
		this.scheduler = scheduler;
		this.tasks = tasks;
	}

	@Override
	public Clock getClock() {
		return this.scheduler.getClock();
	}

	@Override
	public @Nullable ScheduledFuture<?> schedule(Runnable task, Trigger trigger) {
		return this.scheduler.schedule(task, trigger);
	}

	@Override
	public ScheduledFuture<?> schedule(Runnable task, Instant startTime) {
		return this.scheduler.schedule(task, startTime);
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Instant startTime, Duration period) {
		return this.scheduler.scheduleAtFixedRate(task, startTime, period);
	}

	@Override
	public ScheduledFuture<?> scheduleAtFixedRate(Runnable task, Duration period) {
		return this.scheduler.scheduleAtFixedRate(task, period);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Instant startTime, Duration delay) {
		return this.scheduler.scheduleWithFixedDelay(new RegisteredRun(task), startTime, delay);
	}

	@Override
	public ScheduledFuture<?> scheduleWithFixedDelay(Runnable task, Duration delay) {
		return this.scheduler.scheduleWithFixedDelay(new RegisteredRun(task), delay);
	}

	/**
	 * Registers each run of a fixed-delay task that no covered executor counts.
	 */
	private final class RegisteredRun implements SchedulingAwareRunnable {

		private final Runnable task;

		private final String name;

		RegisteredRun(Runnable task) {
			this.task = task;
			this.name = task.toString();
		}

		@Override
		public void run() {
			LongRunningTasks tasks = FixedDelayRegisteringScheduler.this.tasks;
			if (tasks.inExecutorTask()) {
				this.task.run();
				return;
			}
			RunningTask run = tasks.beginExecutorTask(this.name);
			try {
				this.task.run();
			}
			finally {
				tasks.endExecutorTask(run);
			}
		}

		@Override
		public boolean isLongLived() {
			return (this.task instanceof SchedulingAwareRunnable aware) && aware.isLongLived();
		}

		@Override
		public @Nullable String getQualifier() {
			return (this.task instanceof SchedulingAwareRunnable aware) ? aware.getQualifier() : null;
		}

		@Override
		public String toString() {
			return this.name;
		}

	}

}
