package io.github.gracefulshutdown.websocket.reactive;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.gracefulshutdown.websocket.DrainableSession;
import io.github.gracefulshutdown.websocket.NativeConnections;
import org.jspecify.annotations.Nullable;

import org.springframework.web.reactive.socket.CloseStatus;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * A session of a WebFlux
 * {@link org.springframework.web.reactive.socket.WebSocketHandler}.
 * <p>
 * Spring's reactive session tells when its close frame is written, but neither when the
 * connection has closed nor how to drop it. On Reactor Netty the session's connection
 * does both; on Tomcat and Jetty the server's own session under Spring's does, as for the
 * sessions of Spring MVC. Elsewhere the session counts as closed once its handling has
 * ended, and a connection whose client never takes the close frame stays until the server
 * stops.
 */
final class ReactiveSession implements DrainableSession {

	private final WebSocketSession session;

	private final @Nullable ReactorNettyConnection connection;

	private final @Nullable Object nativeSession;

	private volatile boolean connectionClosed;

	ReactiveSession(WebSocketSession session, @Nullable ReactorNettyConnection connection) {
		this.session = session;
		this.connection = connection;
		this.nativeSession = (connection != null) ? null : NativeSessions.of(session);
	}

	@Override
	public boolean isOpen() {
		return !this.connectionClosed && this.session.isOpen();
	}

	/**
	 * Sends the close frame. Reactor Netty and Jetty queue it behind the messages being
	 * sent and return at once, so the timeout does not apply; Reactor Netty closes the
	 * connection as soon as the frame is written, without waiting for the client's
	 * answer. Tomcat writes it before its close returns, waiting at most the timeout.
	 */
	@Override
	public CompletableFuture<Void> close(int code, String reason, Duration timeout) throws IOException {
		CompletableFuture<Void> written = (this.nativeSession != null)
				? NativeConnections.close(this.nativeSession, code, reason, timeout) : null;
		if (written != null) {
			return written;
		}
		return this.session.close(new CloseStatus(code, reason)).toFuture();
	}

	@Override
	public boolean isClosed() {
		if (this.connection != null) {
			return this.connection.isClosed();
		}
		Boolean closed = (this.nativeSession != null) ? NativeConnections.isClosed(this.nativeSession) : null;
		if (closed != null) {
			return closed;
		}
		return this.connectionClosed || !this.session.isOpen();
	}

	@Override
	public void abort() {
		if (this.connection != null) {
			this.connection.abort();
		}
		else if (this.nativeSession != null) {
			NativeConnections.abort(this.nativeSession);
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
