package io.github.gracefulshutdown.task;

import org.jspecify.annotations.Nullable;

import org.springframework.core.task.TaskDecorator;

/**
 * Registers every task an executor runs as a long-running task, named after the executor,
 * from the moment it starts to run until it returns. Wraps the decorator the executor
 * already had, if any, so that it still applies.
 */
final class TaskRegisteringDecorator implements TaskDecorator {

	private final LongRunningTasks tasks;

	private final String executorName;

	private final @Nullable TaskDecorator delegate;

	private final @Nullable TaskHandOvers handOvers;

	/**
	 * Creates a decorator.
	 * @param tasks the registry
	 * @param executorName the bean name of the executor
	 * @param delegate the decorator the executor already had
	 * @param handOvers where to count the tasks handed over, for an executor that
	 * decorates each task once, when it is submitted, and runs it once; {@code null} for
	 * a scheduler, which decorates a periodic task once and runs it many times
	 */
	TaskRegisteringDecorator(LongRunningTasks tasks, String executorName, @Nullable TaskDecorator delegate,
			@Nullable TaskHandOvers handOvers) {
		this.tasks = tasks;
		this.executorName = executorName;
		this.delegate = delegate;
		this.handOvers = handOvers;
	}

	@Override
	public Runnable decorate(Runnable runnable) {
		Runnable decorated = (this.delegate != null) ? this.delegate.decorate(runnable) : runnable;
		TaskHandOvers handOvers = this.handOvers;
		long handOver = (handOvers != null) ? handOvers.handedOver() : TaskHandOvers.NO_HAND_OVER;
		return () -> {
			RunningTask task = this.tasks.beginExecutorTask(this.executorName);
			if (handOvers != null) {
				handOvers.started(handOver);
			}
			try {
				decorated.run();
			}
			finally {
				this.tasks.endExecutorTask(task);
			}
		};
	}

}
