package io.github.gracefulshutdown.task;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counts the tasks handed over to covered executors that have not started to run yet: a
 * task on its way from the thread that submitted it to a new thread, or from a queue to a
 * worker, is neither queued nor running, and must still be waited for. A task the
 * executor rejects or drops never starts; it stops counting at the end of the second
 * after the one it was handed over in, on its own, whatever other tasks do.
 * <p>
 * Hand-overs are counted by the second they happen in, in two slots that take turns: a
 * slot holds its second and the tasks handed over in it that have not started, in one
 * value updated with a compare-and-set. The two slots are 64 bytes apart, so that they
 * never share a cache line.
 */
final class TaskHandOvers {

	/**
	 * What {@link #handedOver()} would never return: for a task that was not handed over.
	 */
	static final long NO_HAND_OVER = -1;

	private static final long PERIOD_NANOS = TimeUnit.SECONDS.toNanos(1);

	private static final int COUNT_BITS = 24;

	private static final long COUNT_MASK = (1L << COUNT_BITS) - 1;

	/**
	 * Longs between the two slots: 64 bytes, a cache line.
	 */
	private static final int SLOT_STRIDE = 8;

	private final long originNanos = System.nanoTime();

	private final AtomicLongArray slots = new AtomicLongArray(SLOT_STRIDE + 1);

	/**
	 * Counts a task handed over now.
	 * @return the ticket to give to {@link #started(long)} when the task starts
	 */
	long handedOver() {
		while (true) {
			// Read in the loop: a thread held up past the next second must not count its
			// task in a slot that has moved on to a later one
			long period = period();
			int slot = slot(period);
			long current = this.slots.get(slot);
			long held = periodOf(current);
			long next;
			if (held == period) {
				next = ((current & COUNT_MASK) < COUNT_MASK) ? current + 1 : current;
			}
			else if (held < period) {
				next = (period << COUNT_BITS) | 1;
			}
			else {
				continue;
			}
			if (this.slots.compareAndSet(slot, current, next)) {
				return period;
			}
		}
	}

	/**
	 * Counts the start of a task handed over earlier; one that has stopped counting is
	 * left alone.
	 * @param ticket what {@link #handedOver()} returned for the task
	 */
	void started(long ticket) {
		int slot = slot(ticket);
		long current;
		do {
			current = this.slots.get(slot);
			if (periodOf(current) != ticket || (current & COUNT_MASK) == 0) {
				return;
			}
		}
		while (!this.slots.compareAndSet(slot, current, current - 1));
	}

	/**
	 * Returns whether a task handed over lately has not started yet.
	 * @return {@code true} while a task may be on its way to its thread
	 */
	boolean inProgress() {
		long period = period();
		return waiting(period) || waiting(period - 1);
	}

	private boolean waiting(long period) {
		long slot = this.slots.get(slot(period));
		return periodOf(slot) == period && (slot & COUNT_MASK) > 0;
	}

	private static int slot(long period) {
		return (int) (period & 1) * SLOT_STRIDE;
	}

	private long period() {
		return (System.nanoTime() - this.originNanos) / PERIOD_NANOS;
	}

	private static long periodOf(long slot) {
		return slot >>> COUNT_BITS;
	}

}
