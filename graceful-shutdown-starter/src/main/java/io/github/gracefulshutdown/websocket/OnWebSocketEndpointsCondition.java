package io.github.gracefulshutdown.websocket;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.util.ClassUtils;

/**
 * Matches when a servlet application has WebSocket sessions for the drain to close:
 * always when {@value #ENABLED_PROPERTY} is {@code true}, never when it is {@code false},
 * and, when it is not set, only when the application declares WebSocket endpoints in one
 * of the ways Spring offers: {@code @EnableWebSocket},
 * {@code @EnableWebSocketMessageBroker}, a {@code WebSocketConfigurer} bean (Spring
 * Integration's {@code ServerWebSocketContainer} is one, and maps its endpoints without
 * {@code @EnableWebSocket}), a {@code WebSocketHttpRequestHandler} or
 * {@code WebSocketHandler} bean (Spring for GraphQL's handler is one), or a
 * {@code ServerEndpointExporter} or {@code ServerEndpointConfig} bean for Jakarta
 * WebSocket endpoints. An application without endpoints has no session to close, so it
 * pays nothing for the drain at startup and keeps its budget for the other steps; one
 * that maps endpoints in none of these ways sets the property.
 */
class OnWebSocketEndpointsCondition extends SpringBootCondition implements ConfigurationCondition {

	static final String ENABLED_PROPERTY = "graceful-shutdown.websocket.enabled";

	private static final List<String> ENDPOINT_TYPES = List.of(
			"org.springframework.web.socket.config.annotation.WebSocketConfigurationSupport",
			"org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurationSupport",
			"org.springframework.web.socket.config.annotation.WebSocketConfigurer",
			"org.springframework.web.socket.server.support.WebSocketHttpRequestHandler",
			"org.springframework.web.socket.WebSocketHandler",
			"org.springframework.web.socket.server.standard.ServerEndpointExporter",
			"jakarta.websocket.server.ServerEndpointConfig");

	/**
	 * Looks for the beans once the application's configuration classes, and what they
	 * import, have registered theirs.
	 */
	@Override
	public ConfigurationPhase getConfigurationPhase() {
		return ConfigurationPhase.REGISTER_BEAN;
	}

	@Override
	public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("WebSocket endpoints");
		Boolean enabled = context.getEnvironment().getProperty(ENABLED_PROPERTY, Boolean.class);
		if (enabled != null) {
			return new ConditionOutcome(enabled, message.because(ENABLED_PROPERTY + " is " + enabled));
		}
		List<String> found = beansDeclaringEndpoints(context);
		if (found.isEmpty()) {
			return ConditionOutcome.noMatch(message.because("no bean declares WebSocket endpoints (set "
					+ ENABLED_PROPERTY + "=true if the application maps some in another way)"));
		}
		return ConditionOutcome
			.match(message.found("bean declaring WebSocket endpoints", "beans declaring WebSocket endpoints")
				.items(found));
	}

	private static List<String> beansDeclaringEndpoints(ConditionContext context) {
		ConfigurableListableBeanFactory beanFactory = context.getBeanFactory();
		List<String> found = new ArrayList<>();
		if (beanFactory == null) {
			return found;
		}
		for (String typeName : ENDPOINT_TYPES) {
			if (hasBeanOfType(beanFactory, typeName, context.getClassLoader())) {
				found.add(ClassUtils.getShortName(typeName));
			}
		}
		return found;
	}

	private static boolean hasBeanOfType(ConfigurableListableBeanFactory beanFactory, String typeName,
			@Nullable ClassLoader classLoader) {
		return ClassUtils.isPresent(typeName, classLoader) && beanFactory
			.getBeanNamesForType(ClassUtils.resolveClassName(typeName, classLoader), true, false).length > 0;
	}

}
