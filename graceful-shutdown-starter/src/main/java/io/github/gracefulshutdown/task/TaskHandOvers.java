package io.github.gracefulshutdown.task;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the tasks handed over to covered executors that have not started to run yet: a
 * task on its way from the thread that submitted it to a new thread, or from a queue to a
 * worker, is neither queued nor running, and must still be waited for. A task the
 * executor rejects or drops never starts; it stops counting once no task has been handed
 * over for a second.
 */
final class TaskHandOvers {

	private static final long GRACE_NANOS = TimeUnit.SECONDS.toNanos(1);

	private final LongAdder handedOver = new LongAdder();

	private final LongAdder started = new LongAdder();

	private volatile long lastHandOverNanos = System.nanoTime() - GRACE_NANOS;

	void handedOver() {
		this.lastHandOverNanos = System.nanoTime();
		this.handedOver.increment();
	}

	void started() {
		this.started.increment();
	}

	/**
	 * Returns whether a task handed over lately has not started yet.
	 * @return {@code true} while a task may be on its way to its thread
	 */
	boolean inProgress() {
		// Read the starts first: every task counted there was counted as handed over
		// before
		long startedTasks = this.started.sum();
		return this.handedOver.sum() > startedTasks && System.nanoTime() - this.lastHandOverNanos < GRACE_NANOS;
	}

}
