package io.github.gracefulshutdown.websocket.reactive;

import java.lang.reflect.Method;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.ReflectionUtils;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.adapter.AbstractWebSocketSession;

/**
 * The server's own session under a WebFlux {@link WebSocketSession} on Tomcat (Tomcat's
 * Jakarta {@code WsSession}) and Jetty (Jetty's {@code Session}): what the drain needs,
 * on these servers, to tell that a session's connection has closed and to drop the
 * connection of a client that never answers its close frame, as for the sessions of
 * Spring MVC.
 * <p>
 * Spring keeps it behind {@link AbstractWebSocketSession}'s protected
 * {@code getDelegate()}, which every session of Spring's upgrade strategies extends. This
 * is the only class that reaches it; when a Spring version no longer has the method, the
 * sessions fall back to Spring's own API, and say so once in the log.
 */
final class NativeSessions {

	private static final Log logger = LogFactory.getLog(NativeSessions.class);

	/**
	 * The name of the method of {@link AbstractWebSocketSession} that returns the
	 * server's own session.
	 */
	static final String GET_DELEGATE_METHOD = "getDelegate";

	private static final @Nullable Method GET_DELEGATE = findGetDelegate();

	private NativeSessions() {
	}

	/**
	 * Returns the server's own session under the given session.
	 * @param session a session WebFlux handed to a handler
	 * @return the server's session, or {@code null} when it cannot be reached
	 */
	static @Nullable Object of(WebSocketSession session) {
		if (GET_DELEGATE == null || !(session instanceof AbstractWebSocketSession<?>)) {
			return null;
		}
		return ReflectionUtils.invokeMethod(GET_DELEGATE, session);
	}

	private static @Nullable Method findGetDelegate() {
		Method method = ReflectionUtils.findMethod(AbstractWebSocketSession.class, GET_DELEGATE_METHOD);
		try {
			if (method != null) {
				ReflectionUtils.makeAccessible(method);
				return method;
			}
		}
		catch (RuntimeException ex) {
			// Not open to this module: as if the method were gone
		}
		logger.warn("Cannot reach the server's own WebSocket sessions under WebFlux's: on Tomcat and Jetty, "
				+ "connections whose client never answers the close frame stay open until the web server stops");
		return null;
	}

}
