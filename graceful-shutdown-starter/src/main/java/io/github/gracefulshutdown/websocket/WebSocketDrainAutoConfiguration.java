package io.github.gracefulshutdown.websocket;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import jakarta.websocket.Session;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Import;
import org.springframework.web.servlet.HandlerAdapter;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

/**
 * Auto-configuration that closes the application's WebSocket sessions during the drain:
 * after the propagation window, before the web server's graceful shutdown, each session
 * gets a close frame at a random moment of a short spread, and connections whose client
 * does not answer are dropped at a deadline. Unless
 * {@code graceful-shutdown.websocket.enabled} says otherwise, only applications that
 * declare WebSocket endpoints get it (see {@link OnWebSocketEndpointsCondition}); it
 * comes after the auto-configuration of Spring for GraphQL's WebSocket endpoint, so that
 * it sees its handler.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class,
		afterName = "org.springframework.boot.graphql.autoconfigure.servlet.GraphQlWebMvcAutoConfiguration")
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
