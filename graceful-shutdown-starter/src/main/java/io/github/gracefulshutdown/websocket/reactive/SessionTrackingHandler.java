package io.github.gracefulshutdown.websocket.reactive;

import java.util.List;

import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * Tells the drain when a session of the decorated handler opens, as WebFlux hands it the
 * session, and when the handling of the session ends. Messages pass through untouched.
 * One instance serves one handshake, as it carries that handshake's connection.
 */
final class SessionTrackingHandler implements WebSocketHandler {

	private final WebSocketHandler delegate;

	private final WebSocketSessionDrain drain;

	private final @Nullable ReactorNettyConnection connection;

	SessionTrackingHandler(WebSocketHandler delegate, WebSocketSessionDrain drain,
			@Nullable ReactorNettyConnection connection) {
		this.delegate = delegate;
		this.drain = drain;
		this.connection = connection;
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
