package io.github.gracefulshutdown.websocket;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
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

import io.github.gracefulshutdown.drain.Durations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Keeps track of the application's open WebSocket sessions and closes them all once, at
 * shutdown: each session gets a close frame at a random moment of the close spread, the
 * clients get the close timeout to answer, and the connections still open at that
 * deadline are dropped.
 * <p>
 * Knows no web stack: the servlet integration (this package) and the reactive one
 * ({@code websocket.reactive}) hand it their sessions as {@link DrainableSession}s.
 * <p>
 * A client that has stopped reading cannot take its close frame: Tomcat then holds the
 * closing thread that sends it, Jetty and Reactor Netty keep the frame queued. None waits
 * past the deadline, and a close that holds its thread too long is left to it while a new
 * thread takes over the closes that follow, so such clients delay nobody else's close
 * frame.
 */
public final class WebSocketSessionDrain {

	private static final Log logger = LogFactory.getLog(WebSocketSessionDrain.class);

	private static final long POLL_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(20);

	/**
	 * How long a close may hold its thread before another thread takes over the closes
	 * that follow: far longer than sending a close frame takes, far shorter than a
	 * spread.
	 */
	private static final long STALL_NANOS = TimeUnit.MILLISECONDS.toNanos(50);

	private static final int CLOSING_THREADS = 2;

	/**
	 * The most closing threads, however many closes stall: beyond that, the closes that
	 * follow wait for a thread, at most until the deadline.
	 */
	private static final int MAX_CLOSING_THREADS = 64;

	private static final int FIRST_SWEEP_SIZE = 1024;

	private final ClosePolicy policy;

	private final Map<Object, TrackedSession> sessions = new ConcurrentHashMap<>();

	private final WebSocketDrainStats stats = new WebSocketDrainStats(this::openSessions);

	private final AtomicReference<@Nullable Closing> closing = new AtomicReference<>();

	private final Queue<TrackedSession> pending = new ConcurrentLinkedQueue<>();

	private final AtomicInteger sweepAt = new AtomicInteger(FIRST_SWEEP_SIZE);

	WebSocketSessionDrain(ClosePolicy policy) {
		this.policy = policy;
	}

	/**
	 * Starts tracking a session. A session that opens once the close has begun is closed
	 * at once.
	 * @param key what identifies the session for {@link #sessionClosed(Object)}
	 * @param session the session
	 */
	public void sessionOpened(Object key, DrainableSession session) {
		TrackedSession tracked = new TrackedSession(session);
		this.sessions.put(key, tracked);
		Closing closing = this.closing.get();
		if (closing != null) {
			closeLate(closing, tracked);
		}
		else if (this.sessions.size() >= this.sweepAt.get()) {
			sweep();
		}
	}

	/**
	 * Stops tracking a session the application has seen close.
	 * @param key what identifies the session
	 */
	public void sessionClosed(Object key) {
		TrackedSession tracked = this.sessions.remove(key);
		if (tracked != null) {
			tracked.session.connectionClosed();
		}
	}

	/**
	 * Returns whether the close of the sessions has begun.
	 * @return {@code true} from the start of the close on
	 */
	public boolean isClosing() {
		return this.closing.get() != null;
	}

	/**
	 * Counts a WebSocket handshake turned away because the close has begun.
	 */
	public void handshakeRejected() {
		this.stats.handshakeRejected();
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
		if (this.closing.get() != null) {
			return;
		}
		long start = System.nanoTime();
		// Ready before the close begins, for the sessions that open as it begins
		Closing closing = new Closing(start + this.policy.longest().toNanos());
		if (!this.closing.compareAndSet(null, closing)) {
			closing.closer.shutdown();
			return;
		}
		long spreadNanos = this.policy.spread().toNanos();
		int count = 0;
		try {
			for (TrackedSession tracked : this.sessions.values()) {
				long delay = (spreadNanos > 0) ? ThreadLocalRandom.current().nextLong(spreadNanos + 1) : 0;
				if (schedule(closing, tracked, delay)) {
					count++;
				}
			}
			logger.debug("Closing " + count + " WebSocket sessions over " + Durations.format(this.policy.spread()));
			awaitClosed(closing);
		}
		finally {
			// Interrupted, the closes still waiting on Tomcat give up and drop their
			// connections
			closing.closer.shutdownNow();
			dropRemaining();
			closing.finished = true;
		}
		logger.info("WebSocket drain closed " + count + " sessions in "
				+ Durations.format(Duration.ofNanos(System.nanoTime() - start)) + ": " + this.stats);
	}

	private boolean schedule(Closing closing, TrackedSession tracked, long delayNanos) {
		if (!tracked.claim()) {
			return false;
		}
		this.pending.add(tracked);
		try {
			closing.closer.schedule(() -> sendClose(tracked, closing.deadline), delayNanos, TimeUnit.NANOSECONDS);
		}
		catch (RejectedExecutionException ex) {
			// The drain has just reached its deadline: no time left to wait for an answer
			sendClose(tracked, closing.deadline);
			finish(tracked, CloseOutcome.FORCE_CLOSED);
		}
		return true;
	}

	private void closeLate(Closing closing, TrackedSession tracked) {
		if (!closing.finished) {
			schedule(closing, tracked, 0);
		}
		else if (tracked.claim()) {
			// Opened after the drain ended: no time to wait
			sendClose(tracked, closing.deadline);
			finish(tracked, CloseOutcome.FORCE_CLOSED);
		}
	}

	private void sendClose(TrackedSession tracked, long deadline) {
		if (tracked.isFinished()) {
			return;
		}
		if (!tracked.session.isOpen()) {
			finish(tracked, CloseOutcome.ALREADY_GONE);
			return;
		}
		CompletableFuture<Void> written;
		tracked.sending();
		try {
			written = tracked.session.close(this.policy.code(), this.policy.reason(), writeTimeout(deadline));
		}
		catch (Exception | LinkageError ex) {
			closeFailed(tracked, ex);
			return;
		}
		finally {
			tracked.sent();
		}
		written.whenComplete((ignored, failure) -> {
			if (failure != null) {
				closeFailed(tracked, failure);
			}
			else if (deadline - System.nanoTime() > 0) {
				tracked.written();
			}
			// A frame written after the deadline came too late: the deadline has decided
		});
	}

	/**
	 * Returns how long a server that writes the close frame before its close returns may
	 * wait for a client that does not read: a little past the deadline, so that the
	 * drain, which interrupts the closing threads at the deadline, decides the outcome.
	 */
	private static Duration writeTimeout(long deadline) {
		return Duration.ofNanos(Math.max(deadline - System.nanoTime(), 0) + POLL_INTERVAL_NANOS);
	}

	private void closeFailed(TrackedSession tracked, Throwable failure) {
		if (logger.isDebugEnabled()) {
			logger.debug("Could not send the close frame to " + tracked.session, failure);
		}
		finish(tracked, CloseOutcome.FAILED);
	}

	private void awaitClosed(Closing closing) {
		while (true) {
			long now = System.nanoTime();
			int stalled = 0;
			for (Iterator<TrackedSession> iterator = this.pending.iterator(); iterator.hasNext();) {
				TrackedSession tracked = iterator.next();
				if (tracked.step == CloseStep.WRITTEN && !tracked.isFinished() && isClosed(tracked)) {
					finish(tracked, CloseOutcome.CLOSED_CLEANLY);
				}
				if (tracked.isFinished()) {
					iterator.remove();
				}
				else if (tracked.isStalled(now)) {
					stalled++;
				}
			}
			closing.replaceStalled(stalled);
			long left = closing.deadline - System.nanoTime();
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
			CloseOutcome outcome = switch (tracked.step) {
				case WRITTEN -> isClosed(tracked) ? CloseOutcome.CLOSED_CLEANLY : CloseOutcome.FORCE_CLOSED;
				case SENDING, SENT -> CloseOutcome.FAILED;
				case SCHEDULED -> CloseOutcome.FORCE_CLOSED;
			};
			if (record(tracked, outcome) && outcome != CloseOutcome.CLOSED_CLEANLY) {
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
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Could not drop the connection of " + tracked.session, ex);
		}
	}

	/**
	 * Asks a session whether its connection is closed. One that cannot tell (the server's
	 * API changed under the starter, a {@link NoSuchMethodError} after an upgrade, say)
	 * counts as open, so that the deadline drops it, and the close goes on for the others
	 * and for the listeners of the context's close after the drain.
	 */
	private static boolean isClosed(TrackedSession tracked) {
		try {
			return tracked.session.isClosed();
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Could not tell whether the connection of " + tracked.session + " is closed", ex);
			return false;
		}
	}

	/**
	 * Counts the tracked sessions that are still open: those whose close the application
	 * was not told about, such as Jakarta endpoint sessions, stay tracked until a sweep.
	 */
	private int openSessions() {
		int open = 0;
		for (TrackedSession tracked : this.sessions.values()) {
			if (tracked.session.isOpen()) {
				open++;
			}
		}
		return open;
	}

	/**
	 * Returns how many sessions are tracked, closed ones not yet swept included.
	 * @return the tracked sessions
	 */
	int trackedSessions() {
		return this.sessions.size();
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
	 * One close of all sessions: its deadline and the threads that send the close frames.
	 */
	private static final class Closing {

		private final long deadline;

		private final ScheduledThreadPoolExecutor closer = new ScheduledThreadPoolExecutor(CLOSING_THREADS,
				new ClosingThreadFactory());

		private volatile boolean finished;

		Closing(long deadline) {
			this.deadline = deadline;
		}

		/**
		 * Keeps {@link #CLOSING_THREADS} threads free for the closes that follow, up to
		 * {@link #MAX_CLOSING_THREADS} threads in all.
		 * @param stalled the number of closes that hold their thread
		 */
		void replaceStalled(int stalled) {
			int wanted = Math.min(CLOSING_THREADS + stalled, MAX_CLOSING_THREADS);
			if (wanted > this.closer.getCorePoolSize()) {
				this.closer.setCorePoolSize(wanted);
			}
		}

	}

	/**
	 * How far the close of a session has come.
	 */
	private enum CloseStep {

		/**
		 * Its moment of the spread has not come.
		 */
		SCHEDULED,

		/**
		 * The server's close is running on a closing thread.
		 */
		SENDING,

		/**
		 * The server has the close frame, but has not written it yet.
		 */
		SENT,

		/**
		 * The close frame is written; the client is expected to answer.
		 */
		WRITTEN

	}

	/**
	 * A session with the state of its close.
	 */
	private static final class TrackedSession {

		private final DrainableSession session;

		private final AtomicBoolean claimed = new AtomicBoolean();

		private final AtomicReference<@Nullable CloseOutcome> outcome = new AtomicReference<>();

		private volatile CloseStep step = CloseStep.SCHEDULED;

		private volatile long sendingSince;

		TrackedSession(DrainableSession session) {
			this.session = session;
		}

		boolean claim() {
			return this.claimed.compareAndSet(false, true);
		}

		void sending() {
			this.sendingSince = System.nanoTime();
			this.step = CloseStep.SENDING;
		}

		void sent() {
			this.step = CloseStep.SENT;
		}

		/**
		 * Marks the close frame written. Runs after {@link #sent()}, which precedes
		 * listening for the write.
		 */
		void written() {
			this.step = CloseStep.WRITTEN;
		}

		boolean isStalled(long now) {
			return this.step == CloseStep.SENDING && now - this.sendingSince > STALL_NANOS;
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
