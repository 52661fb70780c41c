package io.github.gracefulshutdown.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;

/**
 * A session of a Jakarta WebSocket endpoint, such as a {@code @ServerEndpoint}.
 */
final class JakartaSession implements DrainableSession {

	private final Session session;

	JakartaSession(Session session) {
		this.session = session;
	}

	@Override
	public boolean isOpen() {
		return this.session.isOpen();
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason, Duration timeout) throws IOException {
		CompletableFuture<Void> written = NativeConnections.close(this.session, code, reason, timeout);
		if (written != null) {
			return written;
		}
		this.session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public boolean isClosed() {
		Boolean closed = NativeConnections.isClosed(this.session);
		return (closed != null) ? closed : !this.session.isOpen();
	}

	@Override
	public void abort() {
		NativeConnections.abort(this.session);
	}

	@Override
	public String toString() {
		return "WebSocket session " + this.session.getId();
	}

}
