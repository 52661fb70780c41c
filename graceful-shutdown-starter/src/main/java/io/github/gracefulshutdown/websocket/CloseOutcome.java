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
	 * The session was still open at the deadline; its connection was dropped.
	 */
	FORCE_CLOSED,

	/**
	 * The session had closed by the time the drain came to close it.
	 */
	ALREADY_GONE,

	/**
	 * The close frame could not be sent; the connection was dropped.
	 */
	FAILED

}
