package io.github.gracefulshutdown.websocket;

import jakarta.websocket.CloseReason;
import jakarta.websocket.CloseReason.CloseCodes;
import jakarta.websocket.Session;
import org.apache.tomcat.websocket.WsSession;
import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.common.WebSocketSession;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * What the drain needs from a server's own WebSocket session: whether the close handshake
 * has completed, and a way to drop the connection of a client that never answers the
 * close frame. Neither the Jakarta API nor Spring's {@code WebSocketSession} has them:
 * their {@code isOpen()} turns {@code false} on Tomcat and on Jetty's own API as soon as
 * the server has sent its close frame, and their {@code close()} leaves the connection
 * open until the client answers or an idle timeout expires.
 * <p>
 * Knows Tomcat's Jakarta sessions and Jetty's Jakarta and native sessions (Spring uses
 * the native ones on Jetty). On other servers the drain falls back to the Jakarta
 * contract, and a connection that is never answered stays until the server stops.
 */
final class NativeConnections {

	private static final ClassLoader CLASS_LOADER = NativeConnections.class.getClassLoader();

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
	static @Nullable Boolean isClosed(Object nativeSession) {
		if (TOMCAT_PRESENT && Tomcat.handles(nativeSession)) {
			return Tomcat.isClosed(nativeSession);
		}
		if (JETTY_JAKARTA_PRESENT && JettyJakarta.handles(nativeSession)) {
			return JettyJakarta.isClosed(nativeSession);
		}
		if (JETTY_NATIVE_PRESENT && JettyNative.handles(nativeSession)) {
			return JettyNative.isClosed(nativeSession);
		}
		if (nativeSession instanceof Session session) {
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
	static boolean abort(Object nativeSession) {
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
	 * Sends a close frame without waiting for it to be written, where the session's own
	 * close would wait: Spring's session for Jetty's native API waits until the frame is
	 * written, which a client that does not read can delay until an idle timeout.
	 * @param nativeSession the server's session
	 * @param code the close code
	 * @param reason the close reason
	 * @return {@code true} if the close frame is on its way, {@code false} if the caller
	 * must close the session itself
	 */
	static boolean closeWithoutWaiting(Object nativeSession, int code, String reason) {
		if (JETTY_NATIVE_PRESENT && JettyNative.handles(nativeSession)) {
			JettyNative.close(nativeSession, code, reason);
			return true;
		}
		return false;
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

		static void close(Object session, int code, String reason) {
			((WebSocketSession) session).close(code, reason, Callback.NOOP);
		}

		static void abort(Object session) {
			((WebSocketSession) session).disconnect();
		}

	}

}
