package io.github.gracefulshutdown.test;

import io.github.gracefulshutdown.websocket.ServerEndpointSessions;
import jakarta.websocket.Endpoint;
import jakarta.websocket.EndpointConfig;
import jakarta.websocket.OnOpen;
import jakarta.websocket.Session;
import jakarta.websocket.server.ServerEndpoint;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.messaging.simp.config.MessageBrokerRegistry;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.HandshakeHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;
import org.springframework.web.socket.server.standard.ServerEndpointRegistration;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;
import org.springframework.web.socket.server.support.DefaultHandshakeHandler;

/**
 * A web application with the three kinds of WebSocket endpoints the drain closes: a plain
 * handler at {@code /echo}, a STOMP endpoint at {@code /stomp}, and a Jakarta endpoint at
 * {@code /jakarta}. None of them knows about the drain, except the Jakarta endpoint,
 * which hands its sessions over.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ WebSocketTestApplication.PlainWebSocketConfiguration.class, WebSocketTestApplication.StompConfiguration.class,
		WebSocketTestApplication.JakartaEndpointConfiguration.class })
public class WebSocketTestApplication {

	/**
	 * Spring picks Jetty's upgrade strategy whenever Jetty's WebSocket server is on the
	 * classpath, as it is in these tests beside Tomcat; {@code standard} makes the
	 * endpoints use the Jakarta one, which Tomcat needs.
	 */
	public static final String UPGRADE_STRATEGY_PROPERTY = "test.websocket.upgrade-strategy";

	/**
	 * Returns the handshake handler for the upgrade strategy the environment selects.
	 * @param environment the environment
	 * @return the handshake handler for an endpoint
	 */
	public static HandshakeHandler handshakeHandler(Environment environment) {
		return "standard".equals(environment.getProperty(UPGRADE_STRATEGY_PROPERTY))
				? new DefaultHandshakeHandler(new StandardWebSocketUpgradeStrategy()) : new DefaultHandshakeHandler();
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class PlainWebSocketConfiguration implements WebSocketConfigurer {

		private final Environment environment;

		PlainWebSocketConfiguration(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new EchoHandler(), "/echo").setHandshakeHandler(handshakeHandler(this.environment));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocketMessageBroker
	static class StompConfiguration implements WebSocketMessageBrokerConfigurer {

		private final Environment environment;

		StompConfiguration(Environment environment) {
			this.environment = environment;
		}

		@Override
		public void registerStompEndpoints(StompEndpointRegistry registry) {
			registry.addEndpoint("/stomp").setHandshakeHandler(handshakeHandler(this.environment));
		}

		@Override
		public void configureMessageBroker(MessageBrokerRegistry registry) {
			registry.enableSimpleBroker("/topic");
			registry.setApplicationDestinationPrefixes("/app");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class JakartaEndpointConfiguration {

		@Bean
		ServerEndpointExporter serverEndpointExporter() {
			return new ServerEndpointExporter();
		}

		@Bean
		ServerEndpointRegistration jakartaEndpoint(ServerEndpointSessions sessions) {
			return new ServerEndpointRegistration("/jakarta", new TrackedEndpoint(sessions));
		}

		@Bean
		AnnotatedEndpoint annotatedEndpoint() {
			return new AnnotatedEndpoint();
		}

	}

	/**
	 * An annotated endpoint, which the server's container instantiates for each
	 * connection: the bean reaches the instances through a static field, as the
	 * documentation shows.
	 */
	@ServerEndpoint("/annotated")
	public static class AnnotatedEndpoint {

		private static ServerEndpointSessions sessions;

		@Autowired
		void setSessions(ServerEndpointSessions sessions) {
			AnnotatedEndpoint.sessions = sessions;
		}

		@OnOpen
		public void onOpen(Session session) {
			sessions.track(session);
		}

	}

	static class EchoHandler extends TextWebSocketHandler {

		@Override
		protected void handleTextMessage(WebSocketSession session, TextMessage message) throws Exception {
			session.sendMessage(message);
		}

	}

	public static class TrackedEndpoint extends Endpoint {

		private final ServerEndpointSessions sessions;

		public TrackedEndpoint(ServerEndpointSessions sessions) {
			this.sessions = sessions;
		}

		@Override
		public void onOpen(Session session, EndpointConfig config) {
			this.sessions.track(session);
		}

	}

}
