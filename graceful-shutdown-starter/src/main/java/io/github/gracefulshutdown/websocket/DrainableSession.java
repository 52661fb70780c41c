package io.github.gracefulshutdown.websocket;

import java.io.IOException;

/**
 * A server WebSocket session as the drain sees it, whichever API it came from.
 */
interface DrainableSession {

	/**
	 * Returns whether the session is open: neither side has started to close it.
	 * @return {@code true} while the session is open
	 */
	boolean isOpen();

	/**
	 * Sends a close frame and starts the close handshake.
	 * @param code the close code
	 * @param reason the close reason
	 * @throws IOException if the close frame cannot be sent
	 */
	void close(int code, String reason) throws IOException;

	/**
	 * Returns whether the connection is gone: the close handshake has completed or the
	 * connection was closed.
	 * @return {@code true} once the connection is closed
	 */
	boolean isClosed();

	/**
	 * Drops the connection without waiting for the close handshake.
	 */
	void abort();

	/**
	 * Tells the session that the application has seen it close.
	 */
	default void connectionClosed() {
	}

}
