package io.github.gracefulshutdown.websocket.reactive;

import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.function.Supplier;

import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.Ordered;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.util.ClassUtils;
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

	/**
	 * What a refused handshake tells the client: to connect again in a second, which a
	 * load balancer sends to another instance.
	 */
	static final String RETRY_AFTER_SECONDS = "1";

	private static final byte[] REFUSAL = "The server is shutting down; connect again.\n"
		.getBytes(StandardCharsets.UTF_8);

	private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private static final boolean REACTOR_NETTY_PRESENT = ClassUtils.isPresent(
			"reactor.netty.http.server.HttpServerResponse",
			SessionTrackingWebSocketHandlerAdapter.class.getClassLoader());

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
			return refuse(exchange);
		}
		WebSocketHandlerAdapter delegate = delegate();
		if (delegate == null) {
			return Mono.error(new IllegalStateException("No session tracking for " + handler));
		}
		ReactorNettyConnection connection = REACTOR_NETTY_PRESENT ? ReactorNettyConnection.of(exchange) : null;
		WebSocketHandler tracking = new SessionTrackingHandler((WebSocketHandler) handler, this.drain, connection);
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

	private Mono<HandlerResult> refuse(ServerWebExchange exchange) {
		this.drain.handshakeRejected();
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		response.getHeaders().setContentType(TEXT_PLAIN_UTF8);
		DataBuffer body = response.bufferFactory().wrap(REFUSAL);
		return response.writeWith(Mono.just(body)).then(Mono.empty());
	}

	private static boolean overridesHandle(Class<?> type) {
		Method handle = ReflectionUtils.findMethod(type, "handle", ServerWebExchange.class, Object.class);
		return handle != null && handle.getDeclaringClass() != WebSocketHandlerAdapter.class;
	}

}
