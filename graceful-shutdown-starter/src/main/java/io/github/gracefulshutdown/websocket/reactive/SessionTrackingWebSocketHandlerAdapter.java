package io.github.gracefulshutdown.websocket.reactive;

import java.lang.reflect.Method;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.util.ReflectionUtils;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.HandlerAdapter;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;

/**
 * Serves the handshakes of every WebFlux {@link WebSocketHandler} so that the drain knows
 * their sessions, and turns handshakes away once the drain closes sessions.
 * <p>
 * WebFlux maps a {@code WebSocketHandler} like any other handler, and its
 * {@link WebSocketHandlerAdapter} hands it to a {@link WebSocketService}, which performs
 * the handshake. This adapter takes the place of the {@code WebSocketHandlerAdapter} that
 * {@code DispatcherHandler} would pick, the first by order (WebFlux's own, or one the
 * application declares): it is ordered right before it, supports the same handlers, and
 * performs the handshake with its {@code WebSocketService}, passing the handler wrapped
 * in a {@link SessionTrackingHandler}. Handler mappings, CORS processing, the upgrade
 * strategy and the session attributes are untouched. A {@code WebSocketHandlerAdapter}
 * subclass that overrides {@code handle} is left to serve its handshakes itself,
 * untracked.
 * <p>
 * This is the only class that relies on how WebFlux serves WebSocket handshakes.
 * {@link #supports(Object)} runs for every request that reaches it; once the adapter to
 * take the place of is known, it costs a field read and that adapter's own check.
 */
final class SessionTrackingWebSocketHandlerAdapter implements HandlerAdapter, Ordered {

	private final WebSocketSessionDrain drain;

	private final Supplier<Optional<WebSocketHandlerAdapter>> delegate;

	SessionTrackingWebSocketHandlerAdapter(WebSocketSessionDrain drain,
			ObjectProvider<WebSocketHandlerAdapter> webSocketHandlerAdapters) {
		this.drain = drain;
		// Resolved when DispatcherHandler first sorts its adapters, all of them created
		this.delegate = SingletonSupplier.of(() -> webSocketHandlerAdapters.orderedStream()
			.findFirst()
			.filter((adapter) -> !overridesHandle(adapter.getClass())));
	}

	@Override
	public boolean supports(Object handler) {
		WebSocketHandlerAdapter delegate = delegate();
		return delegate != null && delegate.supports(handler);
	}

	@Override
	public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
		if (this.drain.isClosing()) {
			return HandshakeRefusal.refuse(exchange, this.drain).then(Mono.empty());
		}
		WebSocketHandlerAdapter delegate = delegate();
		if (delegate == null) {
			return Mono.error(new IllegalStateException("No session tracking for " + handler));
		}
		WebSocketHandler tracking = SessionTrackingHandler.forHandshake(exchange, (WebSocketHandler) handler,
				this.drain);
		return delegate.getWebSocketService().handleRequest(exchange, tracking).then(Mono.empty());
	}

	/**
	 * Returns an order right before that of the adapter this one takes the place of.
	 * @return the order
	 */
	@Override
	public int getOrder() {
		WebSocketHandlerAdapter delegate = delegate();
		if (delegate == null) {
			return Ordered.LOWEST_PRECEDENCE;
		}
		return Math.max(delegate.getOrder(), Ordered.HIGHEST_PRECEDENCE + 1) - 1;
	}

	private @Nullable WebSocketHandlerAdapter delegate() {
		return this.delegate.get().orElse(null);
	}

	private static boolean overridesHandle(Class<?> type) {
		Method handle = ReflectionUtils.findMethod(type, "handle", ServerWebExchange.class, Object.class);
		return handle != null && handle.getDeclaringClass() != WebSocketHandlerAdapter.class;
	}

}
