package io.github.gracefulshutdown.websocket;

import jakarta.websocket.Session;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

/**
 * Auto-configuration of {@link ServerEndpointSessions} for an application that registers
 * Jakarta WebSocket endpoints but has no WebSocket drain (the drain, or its WebSocket
 * part, is turned off): its endpoints hand their sessions over as everywhere else, and
 * the sessions are left alone, so that turning the drain off never stops the application
 * from starting. With the drain, {@link WebSocketDrainAutoConfiguration} provides the
 * bean.
 */
@AutoConfiguration(after = WebSocketDrainAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@ConditionalOnClass({ ServerEndpointExporter.class, Session.class })
@ConditionalOnWebApplication(type = Type.SERVLET)
@ConditionalOnBean(ServerEndpointExporter.class)
@ConditionalOnMissingBean(ServerEndpointSessions.class)
public final class ServerEndpointSessionsAutoConfiguration {

	@Bean
	ServerEndpointSessions serverEndpointSessions() {
		return new ServerEndpointSessions(null);
	}

}
