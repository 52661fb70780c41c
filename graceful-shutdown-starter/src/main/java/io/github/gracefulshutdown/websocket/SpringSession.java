package io.github.gracefulshutdown.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;

/**
 * A session of a Spring {@link org.springframework.web.socket.WebSocketHandler}.
 */
final class SpringSession implements DrainableSession {

	private final WebSocketSession session;

	private final @Nullable Object nativeSession;

	private volatile boolean connectionClosed;

	SpringSession(WebSocketSession session) {
		this.session = session;
		this.nativeSession = (session instanceof NativeWebSocketSession nativeWebSocketSession)
				? nativeWebSocketSession.getNativeSession(Object.class) : null;
	}

	@Override
	public boolean isOpen() {
		return !this.connectionClosed && this.session.isOpen();
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason, Duration timeout) throws IOException {
		CompletableFuture<Void> written = (this.nativeSession != null)
				? NativeConnections.close(this.nativeSession, code, reason, timeout) : null;
		if (written != null) {
			return written;
		}
		this.session.close(new CloseStatus(code, reason));
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public boolean isClosed() {
		Boolean closed = (this.nativeSession != null) ? NativeConnections.isClosed(this.nativeSession) : null;
		if (closed != null) {
			return closed;
		}
		// Spring calls the handler back when the connection has closed
		return this.connectionClosed;
	}

	@Override
	public void abort() {
		if (this.nativeSession != null) {
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
