package io.github.gracefulshutdown.websocket.reactive;

import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.web.reactive.socket.server.WebSocketService;

/**
 * Decorates the {@link WebSocketService} beans of a Spring Cloud Gateway application with
 * a {@link SessionTrackingWebSocketService}, so that WebSocket sessions the gateway
 * routes are drained like those of mapped handlers.
 * <p>
 * The gateway's {@code WebsocketRoutingFilter} hands each routed handshake to the
 * {@code WebSocketService} bean from a filter, past every {@code HandlerAdapter}; its
 * handler proxies the session to the route's backend, and passes the close frame the
 * drain sends on to it (the gateway turns 1012 and 1013 into 1002 on the way). This is
 * the only class that relies on how the gateway serves WebSocket handshakes.
 */
final class GatewayWebSocketServicePostProcessor implements BeanPostProcessor {

	private final ObjectProvider<WebSocketSessionDrain> drain;

	GatewayWebSocketServicePostProcessor(ObjectProvider<WebSocketSessionDrain> drain) {
		this.drain = drain;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof WebSocketService service && !(bean instanceof SessionTrackingWebSocketService)) {
			return new SessionTrackingWebSocketService(service, this.drain.getObject());
		}
		return bean;
	}

}
