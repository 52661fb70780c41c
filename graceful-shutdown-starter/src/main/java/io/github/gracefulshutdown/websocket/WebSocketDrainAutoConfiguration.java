package io.github.gracefulshutdown.websocket;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import jakarta.websocket.Session;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Auto-configuration that closes the application's WebSocket sessions during the drain:
 * after the propagation window, before the web server's graceful shutdown, each session
 * gets a close frame at a random moment of a short spread, and connections whose client
 * does not answer are dropped at a deadline. Unless
 * {@code graceful-shutdown.websocket.enabled} says otherwise, only applications that
 * declare WebSocket endpoints get it (see {@link OnWebSocketEndpointsCondition}). It
 * comes after the other auto-configurations, so that it sees the endpoints of libraries
 * such as Spring for GraphQL, whatever their names.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnClass({ WebSocketHttpRequestHandler.class, HandlerAdapter.class, Session.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnDrain
@Conditional(OnWebSocketEndpointsCondition.class)
@Import(WebSocketDrainConfiguration.class)
public final class WebSocketDrainAutoConfiguration {

	@Bean
	ServerEndpointSessions serverEndpointSessions(WebSocketSessionDrain drain) {
		return new ServerEndpointSessions(drain);
	}

	@Bean
	SessionTrackingHandlerAdapter sessionTrackingHandlerAdapter(WebSocketSessionDrain drain) {
		return new SessionTrackingHandlerAdapter(drain);
	}

}
