package io.github.gracefulshutdown.websocket;

import jakarta.websocket.Session;
import org.jspecify.annotations.Nullable;

/**
 * Lets Jakarta WebSocket endpoints ({@code @ServerEndpoint} classes and
 * {@code jakarta.websocket.Endpoint} subclasses) have their sessions closed by the drain
 * like those of Spring's WebSocket handlers. Their sessions are opened by the server's
 * Jakarta WebSocket container, where neither the Jakarta API nor Spring offers a hook, so
 * the endpoint hands each session over itself, from its {@code @OnOpen} method:
 *
 * <pre class="code">
 * &#64;OnOpen
 * public void onOpen(Session session) {
 *     sessions.track(session);
 * }
 * </pre>
 *
 * Sessions that have closed are forgotten without further calls, and are not kept from
 * being collected meanwhile. Where the application does not drain, or its WebSocket drain
 * is off, the bean is still there for endpoints registered with a
 * {@code ServerEndpointExporter}, and leaves their sessions alone.
 */
public final class ServerEndpointSessions {

	private final @Nullable WebSocketSessionDrain drain;

	ServerEndpointSessions(@Nullable WebSocketSessionDrain drain) {
		this.drain = drain;
	}

	/**
	 * Has the drain close the given session when the application stops. A session tracked
	 * once the drain has begun to close sessions is closed at once. Does nothing when the
	 * WebSocket drain is off.
	 * @param session a session of a Jakarta WebSocket endpoint
	 */
	public void track(Session session) {
		if (this.drain != null) {
			JakartaSession tracked = new JakartaSession(session);
			this.drain.sessionOpened(tracked, tracked);
		}
	}

}
