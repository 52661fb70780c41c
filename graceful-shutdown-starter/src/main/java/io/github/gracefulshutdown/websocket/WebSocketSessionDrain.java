package io.github.gracefulshutdown.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps track of the application's open WebSocket sessions and closes them all once, at
 * shutdown: each session gets a close frame at a random moment of the close spread, the
 * clients get the close timeout to answer, and the connections still open at that
 * deadline are dropped.
 */
final class WebSocketSessionDrain {

	private static final Log logger = LogFactory.getLog(WebSocketSessionDrain.class);

	private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	private static final int CLOSING_THREADS = 2;

	private static final int FIRST_SWEEP_SIZE = 1024;

	private final ClosePolicy policy;

	private final Map<Object, TrackedSession> sessions = new ConcurrentHashMap<>();

	private final WebSocketDrainStats stats = new WebSocketDrainStats(this.sessions::size);

	private final AtomicBoolean closing = new AtomicBoolean();

	private final Queue<TrackedSession> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger sweepAt = new AtomicInteger(FIRST_SWEEP_SIZE);

	private volatile @Nullable ScheduledThreadPoolExecutor closer;

	private volatile boolean finished;

	WebSocketSessionDrain(ClosePolicy policy) {
		this.policy = policy;
	}

	/**
	 * Starts tracking a session. A session that opens once the close has begun is closed
	 * at once.
	 * @param key what identifies the session for {@link #sessionClosed(Object)}
	 * @param session the session
	 */
	void sessionOpened(Object key, DrainableSession session) {
		TrackedSession tracked = new TrackedSession(session);
		this.sessions.put(key, tracked);
		if (this.closing.get()) {
			closeLate(tracked);
		}
		else if (this.sessions.size() >= this.sweepAt.get()) {
			sweep();
		}
	}

	/**
	 * Stops tracking a session the application has seen close.
	 * @param key what identifies the session
	 */
	void sessionClosed(Object key) {
		TrackedSession tracked = this.sessions.remove(key);
		if (tracked != null) {
			tracked.session.connectionClosed();
		}
	}

	/**
	 * Returns whether the close of the sessions has begun.
	 * @return {@code true} from the start of the close on
	 */
	boolean isClosing() {
		return this.closing.get();
	}

	WebSocketDrainStats stats() {
		return this.stats;
	}

	ClosePolicy policy() {
		return this.policy;
	}

	/**
	 * Closes every open session and returns when all are closed, at the latest at the
	 * close spread plus the close timeout. Does nothing if the close has already begun.
	 */
	void closeAll() {
		if (this.closing.get()) {
			return;
		}
		// Ready before the close begins, for the sessions that open as it begins
		ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(CLOSING_THREADS,
				new ClosingThreadFactory());
		this.closer = executor;
		if (!this.closing.compareAndSet(false, true)) {
			executor.shutdown();
			return;
		}
		long start = System.nanoTime();
		long deadline = start + this.policy.longest().toNanos();
		long spreadNanos = this.policy.spread().toNanos();
		int count = 0;
		try {
			for (TrackedSession tracked : this.sessions.values()) {
				long delay = (spreadNanos > 0) ? ThreadLocalRandom.current().nextLong(spreadNanos + 1) : 0;
				if (schedule(executor, tracked, delay)) {
					count++;
				}
			}
			logger.debug("Closing " + count + " WebSocket sessions over " + this.policy.spread().toMillis() + " ms");
			awaitClosed(deadline);
		}
		finally {
			executor.shutdownNow();
			dropRemaining();
			this.finished = true;
		}
		logger.info("WebSocket drain closed " + count + " sessions in "
				+ Duration.ofNanos(System.nanoTime() - start).toMillis() + " ms: " + this.stats);
	}

	private boolean schedule(ScheduledThreadPoolExecutor executor, TrackedSession tracked, long delayNanos) {
		if (!tracked.claim()) {
			return false;
		}
		this.pending.add(tracked);
		try {
			executor.schedule(() -> sendClose(tracked), delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The drain has just reached its deadline: no time left to wait for an answer
			sendClose(tracked);
			finish(tracked, CloseOutcome.FORCE_CLOSED);
		}
		return true;
	}

	private void closeLate(TrackedSession tracked) {
		ScheduledThreadPoolExecutor executor = this.closer;
		if (executor != null && !this.finished) {
			schedule(executor, tracked, 0);
		}
		else if (tracked.claim()) {
			// Opened after the drain ended or while it was starting: no time to wait
			sendClose(tracked);
			finish(tracked, CloseOutcome.FORCE_CLOSED);
		}
	}

	private void sendClose(TrackedSession tracked) {
		if (tracked.isFinished()) {
			return;
		}
		if (!tracked.session.isOpen()) {
			finish(tracked, CloseOutcome.ALREADY_GONE);
			return;
		}
		try {
			tracked.session.close(this.policy.code(), this.policy.reason());
			tracked.closeSent = true;
		}
		catch (Exception ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Could not send the close frame to " + tracked.session, ex);
			}
			finish(tracked, CloseOutcome.FAILED);
		}
	}

	private void awaitClosed(long deadline) {
		while (true) {
			for (Iterator<TrackedSession> iterator = this.pending.iterator(); iterator.hasNext();) {
				TrackedSession tracked = iterator.next();
				if (tracked.closeSent && !tracked.isFinished() && tracked.session.isClosed()) {
					finish(tracked, CloseOutcome.CLOSED_CLEANLY);
				}
				if (tracked.isFinished()) {
					iterator.remove();
				}
			}
			long left = deadline - System.nanoTime();
			if (this.pending.isEmpty() || left <= 0) {
				return;
			}
			LockSupport.parkNanos(Math.min(left, POLL_INTERVAL_NANOS));
			if (Thread.interrupted()) {
				Thread.currentThread().interrupt();
				logger.warn("Interrupted while closing WebSocket sessions; dropping the connections left");
				return;
			}
		}
	}

	/**
	 * Settles the sessions still pending at the deadline: their outcome is recorded at
	 * once, and their connections are dropped on a thread of its own, so that the drain
	 * ends at its deadline even when dropping thousands of connections takes a while on a
	 * busy machine. Whatever that thread has not dropped when the web server stops, the
	 * server's own stop closes.
	 */
	private void dropRemaining() {
		List<TrackedSession> toDrop = new ArrayList<>();
		TrackedSession tracked;
		while ((tracked = this.pending.poll()) != null) {
			if (!tracked.isFinished() && tracked.closeSent && tracked.session.isClosed()) {
				record(tracked, CloseOutcome.CLOSED_CLEANLY);
			}
			else if (record(tracked, CloseOutcome.FORCE_CLOSED)) {
				toDrop.add(tracked);
			}
		}
		if (!toDrop.isEmpty()) {
			Thread dropper = new Thread(() -> toDrop.forEach(WebSocketSessionDrain::abort),
					"graceful-shutdown-websocket-drop");
			dropper.setDaemon(true);
			dropper.start();
		}
	}

	private void finish(TrackedSession tracked, CloseOutcome outcome) {
		if (record(tracked, outcome) && (outcome == CloseOutcome.FORCE_CLOSED || outcome == CloseOutcome.FAILED)) {
			abort(tracked);
		}
	}

	private boolean record(TrackedSession tracked, CloseOutcome outcome) {
		if (tracked.finish(outcome)) {
			this.stats.record(outcome);
			return true;
		}
		return false;
	}

	private static void abort(TrackedSession tracked) {
		try {
			tracked.session.abort();
		}
		catch (RuntimeException ex) {
			logger.debug("Could not drop the connection of " + tracked.session, ex);
		}
	}

	/**
	 * Forgets the sessions whose close the application was not told about, such as
	 * Jakarta endpoint sessions. Runs when the number of tracked sessions has doubled
	 * since the last sweep, so it costs a constant time per session on average.
	 */
	private void sweep() {
		int threshold = this.sweepAt.get();
		if (this.sessions.size() < threshold) {
			return;
		}
		this.sessions.values().removeIf((tracked) -> !tracked.session.isOpen());
		this.sweepAt.compareAndSet(threshold, Math.max(FIRST_SWEEP_SIZE, 2 * this.sessions.size()));
	}

	/**
	 * A session with the state of its close.
	 */
	private static final class TrackedSession {

		private final DrainableSession session;

		private final AtomicBoolean claimed = new AtomicBoolean();

		private final AtomicReference<@Nullable CloseOutcome> outcome = new AtomicReference<>();

		private volatile boolean closeSent;

		TrackedSession(DrainableSession session) {
			this.session = session;
		}

		boolean claim() {
			return this.claimed.compareAndSet(false, true);
		}

		boolean finish(CloseOutcome outcome) {
			return this.outcome.compareAndSet(null, outcome);
		}

		boolean isFinished() {
			return this.outcome.get() != null;
		}

	}

	private static final class ClosingThreadFactory implements ThreadFactory {

		private final AtomicInteger count = new AtomicInteger();

		@Override
		public Thread newThread(Runnable task) {
			Thread thread = new Thread(task, "graceful-shutdown-websocket-" + this.count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		}

	}

}
