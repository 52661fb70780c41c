package io.github.gracefulshutdown.websocket;

import java.io.IOException;

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
	public void close(int code, String reason) throws IOException {
		if (this.nativeSession != null && NativeConnections.closeWithoutWaiting(this.nativeSession, code, reason)) {
			return;
		}
		this.session.close(new CloseStatus(code, reason));
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
