package io.github.gracefulshutdown.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A server WebSocket session as the drain sees it, whichever API it came from: each web
 * stack adapts its sessions to it for {@link WebSocketSessionDrain}.
 */
public interface DrainableSession {

	/**
	 * Returns whether the session is open: neither side has started to close it.
	 * @return {@code true} while the session is open
	 */
	boolean isOpen();

	/**
	 * Sends a close frame and starts the close handshake. A server that writes the frame
	 * before its close returns (Tomcat) waits at most the given time for a client that
	 * does not read; others queue the frame and return at once.
	 * @param code the close code
	 * @param reason the close reason
	 * @param timeout the longest to wait for the frame to be written, where the server
	 * waits
	 * @return completes when the close frame is written, exceptionally when it cannot be
	 * @throws IOException if the close frame cannot be sent
	 */
	CompletableFuture<Void> close(int code, String reason, Duration timeout) throws IOException;

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
