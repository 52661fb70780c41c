package io.github.gracefulshutdown.task;

import java.util.concurrent.ScheduledFuture;

import org.springframework.core.Ordered;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Registers every task of the executors and schedulers that Spring Boot's builders build
 * as a long-running task while it runs: Spring Boot composes this decorator, a bean, with
 * the application's own {@code TaskDecorator} beans in a {@link CompositeTaskDecorator}.
 * One instance serves every such executor, so the task is named after the executor whose
 * thread runs it (see {@link ExecutorThreadNames}).
 * <p>
 * Ordered first, so that the executor's own argument reaches it: a
 * {@link ThreadPoolTaskScheduler} decorates the {@link ScheduledFuture} of each task it
 * schedules, for later or for many runs, which is no hand-over and must not hold the
 * drain; an application decorator applied before would hide it behind a plain
 * {@code Runnable}. Any other task is handed over to the thread that will run it. The
 * application's decorators run around the registered run.
 * <p>
 * A run inside a task that is registered already (by the decorator that the starter sets
 * around an executor's own, which may hold this one) is not registered again.
 */
final class SharedTaskRegisteringDecorator implements TaskDecorator, Ordered {

	private final LongRunningTasks tasks;

	private final ExecutorThreadNames executors;

	private final TaskHandOvers handOvers;

	SharedTaskRegisteringDecorator(LongRunningTasks tasks, ExecutorThreadNames executors, TaskHandOvers handOvers) {
		this.tasks = tasks;
		this.executors = executors;
		this.handOvers = handOvers;
	}

	@Override
	public Runnable decorate(Runnable runnable) {
		long handOver = (runnable instanceof ScheduledFuture) ? TaskHandOvers.NO_HAND_OVER
				: this.handOvers.handedOver();
		return () -> run(runnable, handOver);
	}

	private void run(Runnable runnable, long handOver) {
		if (this.tasks.inExecutorTask()) {
			if (handOver != TaskHandOvers.NO_HAND_OVER) {
				this.handOvers.started(handOver);
			}
			runnable.run();
			return;
		}
		RunningTask task = this.tasks.beginExecutorTask(this.executors.nameOf(Thread.currentThread()));
		if (handOver != TaskHandOvers.NO_HAND_OVER) {
			this.handOvers.started(handOver);
		}
		try {
			runnable.run();
		}
		finally {
			this.tasks.endExecutorTask(task);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
