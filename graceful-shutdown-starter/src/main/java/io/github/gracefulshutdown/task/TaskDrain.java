package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;
import io.github.gracefulshutdown.drain.Durations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Waits for the long-running tasks during the drain, and settles what is left when the
 * wait reaches its deadline. The wait runs on a thread of its own and ends once, for a
 * short settling time, no task has been running, waiting in the queue of a covered
 * executor, or on its way to a covered executor's thread. The settling time also lets a
 * task that application code hands over to a thread of its own begin. The deadline is not
 * kept here: the lifecycle phase that waits ends at its timeout and {@link #endWait()} is
 * then called.
 */
final class TaskDrain implements DrainListener {

	private static final Log logger = LogFactory.getLog(TaskDrain.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final long SETTLE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private static final int LONGEST_SHOWN = 10;

	private static final long NONE = -1;

	private final LongRunningTasks tasks;

	private final IntSupplier queuedTasks;

	private final BooleanSupplier handingOver;

	private final LongSupplier requestsInFlight;

	private final AtomicReference<@Nullable Waiter> waiter = new AtomicReference<>();

	private final AtomicBoolean waitEnded = new AtomicBoolean();

	private volatile long completedAtDrainStart = NONE;

	private volatile long completedAtWaitEnd = NONE;

	private volatile long cutOff;

	/**
	 * Creates a task drain.
	 * @param tasks the registered tasks
	 * @param queuedTasks the tasks waiting in the queues of covered executors
	 * @param handingOver whether a task is on its way to a covered executor's thread
	 * @param requestsInFlight the requests in flight, for a wait that shares their
	 * deadline
	 */
	TaskDrain(LongRunningTasks tasks, IntSupplier queuedTasks, BooleanSupplier handingOver,
			LongSupplier requestsInFlight) {
		this.tasks = tasks;
		this.queuedTasks = queuedTasks;
		this.handingOver = handingOver;
		this.requestsInFlight = requestsInFlight;
	}

	@Override
	public void drainStarted(Drain drain) {
		this.completedAtDrainStart = this.tasks.completed();
	}

	/**
	 * Starts waiting, on a thread of its own, for the tasks to end.
	 * @param withRequests whether to wait for the requests in flight as well, when the
	 * tasks share the in-flight deadline: tasks still running once the requests are done
	 * are what the task drain waits for, and requests may still start tasks
	 * @param deadline how the deadline of the wait is described in the log
	 * @param tasksOutliveRequests called once if tasks are still running when the
	 * requests are done (at once when the wait does not include requests)
	 * @param done called once when the wait is over and nothing runs
	 */
	void await(boolean withRequests, String deadline, Runnable tasksOutliveRequests, Runnable done) {
		Waiter fresh = new Waiter(withRequests, deadline, tasksOutliveRequests, done);
		Waiter previous = this.waiter.getAndSet(fresh);
		if (previous != null) {
			previous.cancel();
		}
		Thread thread = new Thread(fresh, "graceful-shutdown-tasks");
		thread.setDaemon(true);
		thread.start();
	}

	/**
	 * Ends the wait at its deadline, or once it is over, and records what it leaves
	 * behind: the tasks still running and still queued are cut off. Only the first call
	 * records anything.
	 * @return what was still running or queued
	 */
	Leftover endWait() {
		Waiter current = this.waiter.get();
		if (current != null) {
			current.cancel();
		}
		if (!this.waitEnded.compareAndSet(false, true)) {
			return new Leftover(List.of(), 0);
		}
		Leftover leftover = new Leftover(this.tasks.snapshot(), this.queuedTasks.getAsInt());
		this.completedAtWaitEnd = this.tasks.completed();
		this.cutOff = leftover.count();
		return leftover;
	}

	/**
	 * Returns the number of tasks waiting in the queues of covered executors.
	 * @return the queued tasks
	 */
	int queued() {
		return this.queuedTasks.getAsInt();
	}

	/**
	 * Returns the number of tasks that ended between the start of the drain and the end
	 * of the wait.
	 * @return the tasks completed during the drain, zero before a drain
	 */
	long completedDuringDrain() {
		long start = this.completedAtDrainStart;
		if (start == NONE) {
			return 0;
		}
		long end = this.completedAtWaitEnd;
		return ((end != NONE) ? end : this.tasks.completed()) - start;
	}

	/**
	 * Returns the number of tasks still running or queued when the wait ended.
	 * @return the tasks cut off, zero if none was or no drain ran
	 */
	long cutOff() {
		return this.cutOff;
	}

	private boolean tasksIdle() {
		return this.tasks.active() == 0 && this.queuedTasks.getAsInt() == 0 && !this.handingOver.getAsBoolean();
	}

	/**
	 * What a wait that reached its deadline leaves behind.
	 *
	 * @param running the tasks still running, longest running first
	 * @param queued the number of tasks still waiting in the queues of covered executors
	 */
	record Leftover(List<ActiveTask> running, int queued) {

		boolean isEmpty() {
			return count() == 0;
		}

		int count() {
			return this.running.size() + this.queued;
		}

		/**
		 * Describes the tasks queued and the tasks running, longest running first, such
		 * as {@code 2 long-running tasks, longest running first: transcode (running for
		 * 25.0s), export (running for 3.1s)}.
		 * @return a description for the log
		 */
		String describe() {
			List<String> parts = new ArrayList<>();
			if (this.queued > 0) {
				parts.add(this.queued + ((this.queued == 1) ? " task" : " tasks") + " queued in covered executors");
			}
			int count = this.running.size();
			if (count > 0) {
				String longest = this.running.stream()
					.limit(LONGEST_SHOWN)
					.map(ActiveTask::toString)
					.collect(Collectors.joining(", "));
				parts.add((count == 1) ? "1 long-running task: " + longest
						: count + " long-running tasks, longest running first: " + longest
								+ ((count > LONGEST_SHOWN) ? " and " + (count - LONGEST_SHOWN) + " more" : ""));
			}
			return String.join(" and ", parts);
		}

	}

	/**
	 * One wait, on its own thread, until it is over or cancelled.
	 */
	private final class Waiter implements Runnable {

		private final boolean withRequests;

		private final String deadline;

		private final Runnable tasksOutliveRequests;

		private final Runnable done;

		private volatile boolean cancelled;

		Waiter(boolean withRequests, String deadline, Runnable tasksOutliveRequests, Runnable done) {
			this.withRequests = withRequests;
			this.deadline = deadline;
			this.tasksOutliveRequests = tasksOutliveRequests;
			this.done = done;
		}

		void cancel() {
			this.cancelled = true;
		}

		@Override
		public void run() {
			long waitingForTasksSince = NONE;
			long idleSince = NONE;
			while (!this.cancelled) {
				boolean requestsDone = !this.withRequests || TaskDrain.this.requestsInFlight.getAsLong() <= 0;
				boolean tasksIdle = tasksIdle();
				long now = System.nanoTime();
				if (requestsDone && !tasksIdle && waitingForTasksSince == NONE) {
					waitingForTasksSince = now;
					startWaitingForTasks();
				}
				if (requestsDone && tasksIdle) {
					if (idleSince == NONE) {
						idleSince = now;
					}
					else if (now - idleSince >= SETTLE_NANOS) {
						finish(waitingForTasksSince, now);
						return;
					}
				}
				else {
					idleSince = NONE;
				}
				sleep();
			}
		}

		private void startWaitingForTasks() {
			List<ActiveTask> running = TaskDrain.this.tasks.snapshot();
			int queued = TaskDrain.this.queuedTasks.getAsInt();
			logger.info("Waiting " + this.deadline + " for " + new Leftover(running, queued).describe());
			call(this.tasksOutliveRequests);
		}

		private void finish(long waitingForTasksSince, long now) {
			if (waitingForTasksSince != NONE) {
				logger.info("Every long-running task ended after "
						+ Durations.format(Duration.ofNanos(now - waitingForTasksSince)) + " of waiting");
			}
			call(this.done);
		}

		private void sleep() {
			LockSupport.parkNanos(POLL_NANOS);
			if (Thread.interrupted()) {
				this.cancelled = true;
			}
		}

		private void call(Runnable callback) {
			try {
				callback.run();
			}
			catch (RuntimeException ex) {
				logger.warn("Task drain callback failed", ex);
			}
		}

	}

}
