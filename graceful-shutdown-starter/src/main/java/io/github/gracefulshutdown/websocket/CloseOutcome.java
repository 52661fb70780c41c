package io.github.gracefulshutdown.websocket;

/**
 * What became of a session the drain closed.
 */
enum CloseOutcome {

	/**
	 * The client answered the close frame, or closed its connection, before the deadline.
	 */
	CLOSED_CLEANLY,

	/**
	 * The session was still open at the deadline, its close frame unanswered or not yet
	 * sent; its connection was dropped.
	 */
	FORCE_CLOSED,

	/**
	 * The session had closed by the time the drain came to close it.
	 */
	ALREADY_GONE,

	/**
	 * The close frame could not be written on the open connection: the write failed, or
	 * the client had stopped reading and not taken the frame by the deadline. The
	 * connection was dropped.
	 */
	FAILED

}
