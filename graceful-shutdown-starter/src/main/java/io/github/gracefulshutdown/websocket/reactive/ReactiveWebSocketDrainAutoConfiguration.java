package io.github.gracefulshutdown.websocket.reactive;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.websocket.WebSocketDrainConfiguration;
import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;

/**
 * Auto-configuration that closes the WebSocket sessions of a WebFlux application during
 * the drain, as for a servlet application: after the propagation window, before the web
 * server's graceful shutdown (which on Reactor Netty would otherwise wait for every open
 * WebSocket connection), with the same close policy, deadline, counts and budget. The
 * sessions Spring Cloud Gateway routes are drained too.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@ConditionalOnClass(WebSocketHandlerAdapter.class)
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnDrain
@ConditionalOnBooleanProperty(name = "graceful-shutdown.websocket.enabled", matchIfMissing = true)
@Import(WebSocketDrainConfiguration.class)
@ImportRuntimeHints(NativeSessionsRuntimeHints.class)
public final class ReactiveWebSocketDrainAutoConfiguration {

	@Bean
	SessionTrackingWebSocketHandlerAdapter sessionTrackingWebSocketHandlerAdapter(WebSocketSessionDrain drain,
			ObjectProvider<WebSocketHandlerAdapter> webSocketHandlerAdapters) {
		return new SessionTrackingWebSocketHandlerAdapter(drain, webSocketHandlerAdapters);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(name = "org.springframework.cloud.gateway.filter.WebsocketRoutingFilter")
	static class GatewayWebSocketRoutingConfiguration {

		@Bean
		static GatewayWebSocketServicePostProcessor gatewayWebSocketServicePostProcessor(
				ObjectProvider<WebSocketSessionDrain> drain) {
			return new GatewayWebSocketServicePostProcessor(drain);
		}

	}

}
