package io.github.gracefulshutdown.websocket;

import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.report.DrainReportContributor;
import org.jspecify.annotations.Nullable;

/**
 * Counts the WebSocket sessions the drain tracks and what became of each one it closed.
 * Every session the drain closes ends up in exactly one of the outcome counts.
 * Thread-safe. Adds these counts to the drain report.
 */
public final class WebSocketDrainStats implements DrainReportContributor {

	private final IntSupplier openSessions;

	private final LongAdder closedCleanly = new LongAdder();

	private final LongAdder forceClosed = new LongAdder();

	private final LongAdder alreadyGone = new LongAdder();

	private final LongAdder failed = new LongAdder();

	private final LongAdder rejectedHandshakes = new LongAdder();

	WebSocketDrainStats(IntSupplier openSessions) {
		this.openSessions = openSessions;
	}

	/**
	 * Returns the number of sessions open now.
	 * @return the open sessions
	 */
	public int getOpenSessions() {
		return this.openSessions.getAsInt();
	}

	/**
	 * Returns the number of sessions whose close frame was sent and whose connection
	 * ended before the deadline: the client answered the close frame or closed the
	 * connection, or the server ended it after the close frame (Jetty does so for close
	 * codes other than 1000 and 3000 to 4999).
	 * @return the sessions closed cleanly
	 */
	public long getClosedCleanly() {
		return this.closedCleanly.sum();
	}

	/**
	 * Returns the number of sessions still open at the deadline, whose client had not
	 * answered the close frame (or whose close frame was not due yet); their connection
	 * was dropped.
	 * @return the sessions force-closed
	 */
	public long getForceClosed() {
		return this.forceClosed.sum();
	}

	/**
	 * Returns the number of sessions that had closed by the time the drain came to close
	 * them.
	 * @return the sessions already gone
	 */
	public long getAlreadyGone() {
		return this.alreadyGone.sum();
	}

	/**
	 * Returns the number of sessions whose close frame could not be written: the write
	 * failed, or the client had stopped reading and not taken the frame by the deadline.
	 * Their connection was dropped.
	 * @return the sessions whose close failed
	 */
	public long getFailed() {
		return this.failed.sum();
	}

	/**
	 * Returns the number of WebSocket handshakes answered with 503 because the sessions
	 * were being closed.
	 * @return the rejected handshakes
	 */
	public long getRejectedHandshakes() {
		return this.rejectedHandshakes.sum();
	}

	void record(CloseOutcome outcome) {
		switch (outcome) {
			case CLOSED_CLEANLY -> this.closedCleanly.increment();
			case FORCE_CLOSED -> this.forceClosed.increment();
			case ALREADY_GONE -> this.alreadyGone.increment();
			case FAILED -> this.failed.increment();
		}
	}

	void handshakeRejected() {
		this.rejectedHandshakes.increment();
	}

	@Override
	public void contribute(@Nullable Drain drain, Map<String, @Nullable Object> figures) {
		figures.put("websocketSessionsOpen", getOpenSessions());
		figures.put("websocketSessionsClosedCleanly", getClosedCleanly());
		figures.put("websocketSessionsForceClosed", getForceClosed());
		figures.put("websocketSessionsAlreadyGone", getAlreadyGone());
		figures.put("websocketSessionsFailed", getFailed());
		figures.put("websocketHandshakesRejected", getRejectedHandshakes());
	}

	@Override
	public String toString() {
		return getClosedCleanly() + " closed cleanly, " + getForceClosed() + " force-closed at the deadline, "
				+ getAlreadyGone() + " already gone, " + getFailed() + " failed";
	}

}
