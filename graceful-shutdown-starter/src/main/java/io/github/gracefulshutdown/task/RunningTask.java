package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gracefulshutdown.drain.Durations;

import org.jspecify.annotations.Nullable;

/**
 * A task registered with {@link LongRunningTasks}, from its beginning until it is closed.
 * Closing it more than once, or from another thread, is fine.
 */
public final class RunningTask implements AutoCloseable {

	private final LongRunningTasks tasks;

	private final String name;

	private final long startNanos = System.nanoTime();

	private final @Nullable RunningTask executorTask;

	private final AtomicInteger standIns = new AtomicInteger();

	private volatile boolean stoodInFor;

	private final AtomicBoolean open = new AtomicBoolean(true);

	private @Nullable RunningTask previousExecutorTask;

	RunningTask(LongRunningTasks tasks, String name, @Nullable RunningTask executorTask) {
		this.tasks = tasks;
		this.name = name;
		this.executorTask = executorTask;
	}

	/**
	 * Returns what the task is.
	 * @return the name given when it began
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns how long the task has been running.
	 * @return the time since it began
	 */
	public Duration runningFor() {
		return Duration.ofNanos(System.nanoTime() - this.startNanos);
	}

	/**
	 * Returns whether the task still runs.
	 * @return {@code true} until the task is closed
	 */
	public boolean isOpen() {
		return this.open.get();
	}

	/**
	 * Ends the task. Does nothing if it has already ended.
	 */
	@Override
	public void close() {
		if (this.open.compareAndSet(true, false)) {
			// Work that a task begun within this one stood for is completed by that task
			boolean counted = !this.stoodInFor;
			// Hand the count back to the executor task before this one disappears, so
			// that
			// the work is never seen as gone while it still runs
			if (this.executorTask != null) {
				this.executorTask.standIns.decrementAndGet();
			}
			this.tasks.ended(this, counted);
		}
	}

	/**
	 * Returns whether the task counts as one: it does unless a task begun within it
	 * stands for it.
	 */
	boolean isCounted() {
		return this.standIns.get() == 0;
	}

	long startNanos() {
		return this.startNanos;
	}

	ActiveTask describe(long nowNanos) {
		return new ActiveTask(this.name, Duration.ofNanos(nowNanos - this.startNanos));
	}

	/**
	 * Starts standing for the executor task this task was begun in, if any. Called once
	 * this task is registered, so that the work never goes uncounted.
	 */
	void enterExecutorTask() {
		if (this.executorTask != null) {
			this.executorTask.stoodInFor = true;
			this.executorTask.standIns.incrementAndGet();
		}
	}

	void runsAfter(@Nullable RunningTask previousExecutorTask) {
		this.previousExecutorTask = previousExecutorTask;
	}

	@Nullable RunningTask previousExecutorTask() {
		return this.previousExecutorTask;
	}

	@Override
	public String toString() {
		return this.name + (isOpen() ? " (running for " + Durations.format(runningFor()) + ")" : " (ended)");
	}

}
