package io.github.gracefulshutdown.websocket;

import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.util.ReflectionUtils;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.servlet.ModelAndView;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Serves the handshakes of every Spring WebSocket endpoint (plain
 * {@code WebSocketConfigurer} handlers and STOMP endpoints alike) so that the drain knows
 * their sessions, and turns handshakes away once the drain closes sessions.
 * <p>
 * Spring MVC maps each endpoint to a {@link WebSocketHttpRequestHandler}, whose
 * {@link WebSocketHandler} is fixed. This adapter, ordered before Spring MVC's own,
 * serves each request through a twin of that request handler: the same handshake handler
 * and interceptors, and the same WebSocket handler wrapped in a
 * {@link SessionTrackingWebSocketHandler}. Handler mappings, their interceptors and CORS
 * processing are untouched. A subclass of {@code WebSocketHttpRequestHandler} that
 * overrides {@code handleRequest} is left to Spring MVC, untracked.
 */
class SessionTrackingHandlerAdapter implements HandlerAdapter, Ordered {

	static final String RETRY_AFTER_SECONDS = "1";

	private final WebSocketSessionDrain drain;

	private final Map<WebSocketHttpRequestHandler, WebSocketHttpRequestHandler> twins = new ConcurrentHashMap<>();

	SessionTrackingHandlerAdapter(WebSocketSessionDrain drain) {
		this.drain = drain;
	}

	@Override
	public boolean supports(Object handler) {
		return handler instanceof WebSocketHttpRequestHandler requestHandler && twin(requestHandler) != null;
	}

	@Override
	public @Nullable ModelAndView handle(HttpServletRequest request, HttpServletResponse response, Object handler)
			throws Exception {
		if (this.drain.isClosing()) {
			this.drain.handshakeRejected();
			response.setStatus(HttpStatus.SERVICE_UNAVAILABLE.value());
			response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
			response.setContentType("text/plain;charset=UTF-8");
			response.getWriter().write("The server is shutting down; connect again.\n");
			return null;
		}
		WebSocketHttpRequestHandler twin = twin((WebSocketHttpRequestHandler) handler);
		if (twin == null) {
			throw new IllegalStateException("No session tracking for " + handler);
		}
		twin.handleRequest(request, response);
		return null;
	}

	@Override
	public int getOrder() {
		return 0;
	}

	private @Nullable WebSocketHttpRequestHandler twin(WebSocketHttpRequestHandler original) {
		WebSocketHttpRequestHandler twin = this.twins.computeIfAbsent(original, this::createTwin);
		return (twin != original) ? twin : null;
	}

	/**
	 * Creates the twin of a request handler.
	 * @param original the request handler Spring MVC maps the endpoint to
	 * @return the twin, or the original itself when it cannot have one
	 */
	private WebSocketHttpRequestHandler createTwin(WebSocketHttpRequestHandler original) {
		if (overridesHandleRequest(original.getClass())) {
			return original;
		}
		TrackingRequestHandler twin = new TrackingRequestHandler(
				new SessionTrackingWebSocketHandler(original.getWebSocketHandler(), this.drain), original);
		twin.setHandshakeInterceptors(original.getHandshakeInterceptors());
		return twin;
	}

	private static boolean overridesHandleRequest(Class<?> type) {
		Method handleRequest = ReflectionUtils.findMethod(type, "handleRequest", HttpServletRequest.class,
				HttpServletResponse.class);
		return handleRequest != null && handleRequest.getDeclaringClass() != WebSocketHttpRequestHandler.class;
	}

	/**
	 * A {@link WebSocketHttpRequestHandler} for a handler that is decorated already. It
	 * shares the original's handshake handler, which the context has started and given
	 * the servlet context to, so the twin itself needs no lifecycle.
	 */
	private static final class TrackingRequestHandler extends WebSocketHttpRequestHandler {

		TrackingRequestHandler(WebSocketHandler trackingHandler, WebSocketHttpRequestHandler original) {
			super(trackingHandler, original.getHandshakeHandler());
		}

		@Override
		protected WebSocketHandler decorate(WebSocketHandler handler) {
			// The original's handler carries Spring's logging and exception decorators
			return handler;
		}

	}

}
