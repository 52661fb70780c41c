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

	TaskRegisteringDecorator(LongRunningTasks tasks, String executorName, @Nullable TaskDecorator delegate) {
		this.tasks = tasks;
		this.executorName = executorName;
		this.delegate = delegate;
	}

	@Override
	public Runnable decorate(Runnable runnable) {
		Runnable decorated = (this.delegate != null) ? this.delegate.decorate(runnable) : runnable;
		return () -> {
			RunningTask task = this.tasks.beginExecutorTask(this.executorName);
			try {
				decorated.run();
			}
			finally {
				this.tasks.endExecutorTask(task);
			}
		};
	}

	@Nullable TaskDecorator delegate() {
		return this.delegate;
	}

}
