package io.github.gracefulshutdown.websocket;

import java.io.IOException;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

/**
 * A session of a Jakarta WebSocket endpoint, such as a {@code @ServerEndpoint}. It holds
 * the session weakly: the container holds an open session, and forgets it once it has
 * closed, but the drain learns of that close only when it next sweeps its sessions, and
 * must not keep the connection's buffers until then. A session the container has let go
 * of counts as closed.
 */
final class JakartaSession implements DrainableSession {

	private final WeakReference<Session> session;

	private final String id;

	private final int identityHash;

	JakartaSession(Session session) {
		this.session = new WeakReference<>(session);
		this.id = session.getId();
		this.identityHash = System.identityHashCode(session);
	}

	@Override
	public boolean isOpen() {
		Session session = this.session.get();
		return session != null && session.isOpen();
	}

	@Override
	public CompletableFuture<Void> close(int code, String reason, Duration timeout) throws IOException {
		Session session = this.session.get();
		if (session == null) {
			return CompletableFuture.completedFuture(null);
		}
		CompletableFuture<Void> written = NativeConnections.close(session, code, reason, timeout);
		if (written != null) {
			return written;
		}
		session.close(new CloseReason(CloseReason.CloseCodes.getCloseCode(code), reason));
		return CompletableFuture.completedFuture(null);
	}

	@Override
	public boolean isClosed() {
		Session session = this.session.get();
		if (session == null) {
			return true;
		}
		Boolean closed = NativeConnections.isClosed(session);
		return (closed != null) ? closed : !session.isOpen();
	}

	@Override
	public void abort() {
		Session session = this.session.get();
		if (session != null) {
			NativeConnections.abort(session);
		}
	}

	/**
	 * Equal to the tracking of the same session, so that a session tracked twice is
	 * tracked once.
	 */
	@Override
	public boolean equals(@Nullable Object other) {
		if (this == other) {
			return true;
		}
		if (!(other instanceof JakartaSession tracked)) {
			return false;
		}
		Session session = this.session.get();
		return session != null && session == tracked.session.get();
	}

	@Override
	public int hashCode() {
		return this.identityHash;
	}

	@Override
	public String toString() {
		return "WebSocket session " + this.id;
	}

}
