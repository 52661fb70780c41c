package io.github.gracefulshutdown.websocket.reactive;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.gracefulshutdown.websocket.DrainableSession;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * A session of a WebFlux
 * {@link org.springframework.web.reactive.socket.WebSocketHandler}.
 * <p>
 * Spring's reactive session tells when its close frame is written, but neither when the
 * connection has closed nor how to drop it: on Reactor Netty the session's connection
 * does both; on other servers the session counts as closed once its handling has ended,
 * and a connection whose client never takes the close frame stays until the server stops.
 */
final class ReactiveSession implements DrainableSession {

	private final WebSocketSession session;

	private final @Nullable ReactorNettyConnection connection;

	private volatile boolean connectionClosed;

	ReactiveSession(WebSocketSession session, @Nullable ReactorNettyConnection connection) {
		this.session = session;
		this.connection = connection;
	}

	@Override
	public boolean isOpen() {
		return !this.connectionClosed && this.session.isOpen();
	}

	/**
	 * Sends the close frame. Reactor Netty queues it behind the messages being sent and
	 * returns at once, so the timeout does not apply; it closes the connection as soon as
	 * the frame is written, without waiting for the client's answer.
	 */
	@Override
	public CompletableFuture<Void> close(int code, String reason, Duration timeout) {
		return this.session.close(new CloseStatus(code, reason)).toFuture();
	}

	@Override
	public boolean isClosed() {
		if (this.connection != null) {
			return this.connection.isClosed();
		}
		return this.connectionClosed || !this.session.isOpen();
	}

	@Override
	public void abort() {
		if (this.connection != null) {
			this.connection.abort();
		}
	}

	@Override
	public void connectionClosed() {
		this.connectionClosed = true;
	}

	@Override
	public String toString() {
		return "WebSocket session " + this.session.getId();
	}

}
