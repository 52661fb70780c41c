package io.github.gracefulshutdown.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import org.apache.tomcat.websocket.Constants;
import org.apache.tomcat.websocket.WsSession;
import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * What the drain needs from a server's own WebSocket session, for the sessions of Spring
 * MVC and Jakarta endpoints here and those of WebFlux on Tomcat and Jetty
 * ({@code websocket.reactive}): a close that tells when the close frame is written and
 * waits a bounded time for a client that does not read, whether the close handshake has
 * completed, and a way to drop the connection of a client that never answers the close
 * frame. Neither the Jakarta API nor Spring's {@code WebSocketSession} has them: their
 * {@code close()} reports nothing, waits on Tomcat for the frame to be written, and
 * leaves the connection open until the client answers or an idle timeout expires; their
 * {@code isOpen()} turns {@code false} on Tomcat and on Jetty's own API as soon as the
 * server has sent its close frame.
 * <p>
 * Knows Tomcat's Jakarta sessions and Jetty's Jakarta and native sessions (Spring uses
 * the native ones on Jetty). On other servers the drain falls back to the Jakarta
 * contract, and a connection that is never answered stays until the server stops.
 */
public final class NativeConnections {

	private static final ClassLoader CLASS_LOADER = NativeConnections.class.getClassLoader();

	private static final boolean JAKARTA_WEBSOCKET_PRESENT = ClassUtils.isPresent("jakarta.websocket.Session",
			CLASS_LOADER);

	private static final boolean TOMCAT_PRESENT = ClassUtils.isPresent("org.apache.tomcat.websocket.WsSession",
			CLASS_LOADER);

	private static final boolean JETTY_JAKARTA_PRESENT = ClassUtils
		.isPresent("org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession", CLASS_LOADER);

	private static final boolean JETTY_NATIVE_PRESENT = ClassUtils
		.isPresent("org.eclipse.jetty.websocket.common.WebSocketSession", CLASS_LOADER);

	private NativeConnections() {
	}

	/**
	 * Returns whether the connection of the given session is closed: the close handshake
	 * completed, or the connection broke.
	 * @param nativeSession the server's session
	 * @return whether the connection is closed, or {@code null} for a session this class
	 * does not know
	 */
	public static @Nullable Boolean isClosed(Object nativeSession) {
		if (TOMCAT_PRESENT && Tomcat.handles(nativeSession)) {
			return Tomcat.isClosed(nativeSession);
		}
		if (JETTY_JAKARTA_PRESENT && JettyJakarta.handles(nativeSession)) {
			return JettyJakarta.isClosed(nativeSession);
		}
		if (JETTY_NATIVE_PRESENT && JettyNative.handles(nativeSession)) {
			return JettyNative.isClosed(nativeSession);
		}
		if (JAKARTA_WEBSOCKET_PRESENT && nativeSession instanceof Session session) {
			// The Jakarta contract: open until the connection is closed
			return !session.isOpen();
		}
		return null;
	}

	/**
	 * Drops the connection of the given session without waiting for the close handshake.
	 * @param nativeSession the server's session
	 * @return {@code true} if the connection was dropped, {@code false} if the server
	 * offers no way to do it
	 */
	public static boolean abort(Object nativeSession) {
		if (TOMCAT_PRESENT && Tomcat.handles(nativeSession)) {
			Tomcat.abort(nativeSession);
			return true;
		}
		if (JETTY_JAKARTA_PRESENT && JettyJakarta.handles(nativeSession)) {
			JettyJakarta.abort(nativeSession);
			return true;
		}
		if (JETTY_NATIVE_PRESENT && JettyNative.handles(nativeSession)) {
			JettyNative.abort(nativeSession);
			return true;
		}
		return false;
	}

	/**
	 * Sends a close frame so that the caller learns whether it was written and never
	 * waits for a client that does not read longer than it allows. Tomcat writes the
	 * frame before its close returns, waiting by default up to 20 s with 1000 and 50 ms
	 * with other codes, then drops the connection; Jetty queues the frame behind the
	 * messages being sent and returns at once, and only its own callbacks tell when the
	 * frame is written (Jetty deems its session closed as soon as a close frame with 1001
	 * or 1012 is queued).
	 * @param nativeSession the server's session
	 * @param code the close code
	 * @param reason the close reason
	 * @param timeout the longest Tomcat may wait to write the frame
	 * @return completes when the close frame is written, exceptionally when it cannot be,
	 * or {@code null} for a session this class does not know
	 * @throws IOException if the close frame cannot be sent
	 */
	public static @Nullable CompletableFuture<Void> close(Object nativeSession, int code, String reason,
			Duration timeout) throws IOException {
		if (TOMCAT_PRESENT && Tomcat.handles(nativeSession)) {
			return Tomcat.close(nativeSession, code, reason, timeout);
		}
		if (JETTY_JAKARTA_PRESENT && JettyJakarta.handles(nativeSession)) {
			return JettyJakarta.close(nativeSession, code, reason);
		}
		if (JETTY_NATIVE_PRESENT && JettyNative.handles(nativeSession)) {
			return JettyNative.close(nativeSession, code, reason);
		}
		return null;
	}

	private static final class Tomcat {

		private static final CloseReason DROPPED = new CloseReason(CloseCodes.CLOSED_ABNORMALLY,
				"Close handshake timed out");

		static boolean handles(Object session) {
			return session instanceof WsSession;
		}

		static boolean isClosed(Object session) {
			return ((WsSession) session).isClosed();
		}

		static CompletableFuture<Void> close(Object session, int code, String reason, Duration timeout)
				throws IOException {
			WsSession wsSession = (WsSession) session;
			Long timeoutMillis = Math.max(1, TimeUnit.NANOSECONDS.toMillis(timeout.toNanos() + 999_999));
			try {
				// The documented per-session send timeouts: the first for 1000, the
				// second for every other code
				wsSession.getUserProperties().put(Constants.BLOCKING_SEND_TIMEOUT_PROPERTY, timeoutMillis);
				wsSession.getUserProperties()
					.put(Constants.ABNORMAL_SESSION_CLOSE_SEND_TIMEOUT_PROPERTY, timeoutMillis);
			}
			catch (IllegalStateException ex) {
				// Closed in the meantime: there is nothing left to send
				return CompletableFuture.completedFuture(null);
			}
			wsSession.close(new CloseReason(CloseCodes.getCloseCode(code), reason));
			// Tomcat reports a failed write only to the endpoint's onError. A write still
			// waiting at the drain's deadline is given up there; one that fails at once
			// (the connection broke that instant) leaves the session waiting for an
			// answer until the deadline drops it.
			return CompletableFuture.completedFuture(null);
		}

		static void abort(Object session) {
			WsSession wsSession = (WsSession) session;
			// Still open (no close frame sent yet): send one and close the socket at once
			wsSession.doClose(new CloseReason(CloseCodes.GOING_AWAY, ""), DROPPED, true);
			// Waiting for the client's close frame: stop waiting and close the socket, as
			// Tomcat does when a protocol error ends a connection
			wsSession.onClose(DROPPED);
		}

	}

	private static final class JettyJakarta {

		static boolean handles(Object session) {
			return session instanceof JakartaWebSocketSession;
		}

		static boolean isClosed(Object session) {
			return ((JakartaWebSocketSession) session).getCoreSession().isClosed();
		}

		static CompletableFuture<Void> close(Object session, int code, String reason) {
			// The Jakarta session's close reports nothing
			return JettyCore.close(((JakartaWebSocketSession) session).getCoreSession(), code, reason);
		}

		static void abort(Object session) {
			((JakartaWebSocketSession) session).abort();
		}

	}

	private static final class JettyNative {

		static boolean handles(Object session) {
			return session instanceof WebSocketSession;
		}

		static boolean isClosed(Object session) {
			return ((WebSocketSession) session).getCoreSession().isClosed();
		}

		static CompletableFuture<Void> close(Object session, int code, String reason) {
			return JettyCore.close(((WebSocketSession) session).getCoreSession(), code, reason);
		}

		static void abort(Object session) {
			((WebSocketSession) session).disconnect();
		}

	}

	/**
	 * The session under Jetty's Jakarta and native sessions.
	 */
	private static final class JettyCore {

		static CompletableFuture<Void> close(CoreSession session, int code, String reason) {
			CompletableFuture<Void> written = new CompletableFuture<>();
			session.close(code, reason, Callback.from(() -> written.complete(null), (failure) -> {
				if (CloseStatus.isOrdinary(code) && session.isClosed()) {
					// The connection ended, mostly on the client's answer, before Jetty
					// reported the write, which it then fails: the client has closed
					written.complete(null);
				}
				else {
					written.completeExceptionally(failure);
				}
			}));
			return written;
		}

	}

}
