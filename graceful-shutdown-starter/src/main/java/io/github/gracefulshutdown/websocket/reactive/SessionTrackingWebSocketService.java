package io.github.gracefulshutdown.websocket.reactive;

import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import reactor.core.publisher.Mono;

import org.springframework.context.Lifecycle;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.server.ServerWebExchange;

/**
 * A {@link WebSocketService} that tells the drain about the sessions of the handshakes it
 * performs, and turns handshakes away once the drain closes sessions, for code that hands
 * handshakes to a {@code WebSocketService} itself rather than through a mapped
 * {@code WebSocketHandler}. A handler that {@link SessionTrackingWebSocketHandlerAdapter}
 * already tracks is passed on as it is, so no session is tracked twice. Starts and stops
 * with the context when the decorated service does.
 */
final class SessionTrackingWebSocketService implements WebSocketService, Lifecycle {

	private final WebSocketService delegate;

	private final WebSocketSessionDrain drain;

	SessionTrackingWebSocketService(WebSocketService delegate, WebSocketSessionDrain drain) {
		this.delegate = delegate;
		this.drain = drain;
	}

	@Override
	public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
		if (handler instanceof SessionTrackingHandler) {
			return this.delegate.handleRequest(exchange, handler);
		}
		if (this.drain.isClosing()) {
			return HandshakeRefusal.refuse(exchange, this.drain);
		}
		return this.delegate.handleRequest(exchange,
				SessionTrackingHandler.forHandshake(exchange, handler, this.drain));
	}

	@Override
	public void start() {
		if (this.delegate instanceof Lifecycle lifecycle) {
			lifecycle.start();
		}
	}

	@Override
	public void stop() {
		if (this.delegate instanceof Lifecycle lifecycle) {
			lifecycle.stop();
		}
	}

	@Override
	public boolean isRunning() {
		return this.delegate instanceof Lifecycle lifecycle && lifecycle.isRunning();
	}

}
