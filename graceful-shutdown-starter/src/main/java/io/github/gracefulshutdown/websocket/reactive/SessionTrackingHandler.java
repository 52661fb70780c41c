package io.github.gracefulshutdown.websocket.reactive;

import java.util.List;

import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.util.ClassUtils;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.server.ServerWebExchange;

/**
 * Tells the drain when a session of the decorated handler opens, as WebFlux hands it the
 * session, and when the handling of the session ends. Messages pass through untouched.
 * One instance serves one handshake, as it carries that handshake's connection.
 */
final class SessionTrackingHandler implements WebSocketHandler {

	private static final boolean REACTOR_NETTY_PRESENT = ClassUtils
		.isPresent("reactor.netty.http.server.HttpServerResponse", SessionTrackingHandler.class.getClassLoader());

	private final WebSocketHandler delegate;

	private final WebSocketSessionDrain drain;

	private final @Nullable ReactorNettyConnection connection;

	private SessionTrackingHandler(WebSocketHandler delegate, WebSocketSessionDrain drain,
			@Nullable ReactorNettyConnection connection) {
		this.delegate = delegate;
		this.drain = drain;
		this.connection = connection;
	}

	/**
	 * Wraps the handler a handshake is served with.
	 * @param exchange the handshake
	 * @param handler the handler of its session
	 * @param drain the drain to tell
	 * @return the handler to perform the handshake with
	 */
	static SessionTrackingHandler forHandshake(ServerWebExchange exchange, WebSocketHandler handler,
			WebSocketSessionDrain drain) {
		ReactorNettyConnection connection = REACTOR_NETTY_PRESENT ? ReactorNettyConnection.of(exchange) : null;
		return new SessionTrackingHandler(handler, drain, connection);
	}

	@Override
	public List<String> getSubProtocols() {
		return this.delegate.getSubProtocols();
	}

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		this.drain.sessionOpened(session, new ReactiveSession(session, this.connection));
		// Deferred so that a handler that throws ends the session's tracking too
		return Mono.defer(() -> this.delegate.handle(session)).doFinally((signal) -> this.drain.sessionClosed(session));
	}

}
