package io.github.gracefulshutdown.websocket;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.NoSuchBeanDefinitionException;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;

/**
 * Explains why {@link ServerEndpointSessions} is missing when application code injects
 * it: a Jakarta endpoint registered on the server's container directly, without a
 * {@code ServerEndpointExporter}, in an application without the WebSocket drain. Ordered
 * first, so that it speaks before Spring Boot's general analysis of a missing bean.
 */
@Order(Ordered.HIGHEST_PRECEDENCE)
class MissingServerEndpointSessionsFailureAnalyzer extends AbstractFailureAnalyzer<NoSuchBeanDefinitionException> {

	private static final String SERVER_ENDPOINT_SESSIONS = "io.github.gracefulshutdown.websocket.ServerEndpointSessions";

	@Override
	protected @Nullable FailureAnalysis analyze(Throwable rootFailure, NoSuchBeanDefinitionException cause) {
		Class<?> missing = cause.getBeanType();
		// By name: other failures must not load the class, nor the Jakarta API it uses
		if (missing == null || !missing.getName().equals(SERVER_ENDPOINT_SESSIONS)) {
			return null;
		}
		String property = OnWebSocketEndpointsCondition.ENABLED_PROPERTY;
		return new FailureAnalysis("The application needs ServerEndpointSessions, which the starter provides to a "
				+ "Spring MVC application that registers Jakarta WebSocket endpoints with a ServerEndpointExporter "
				+ "bean, or that has the WebSocket drain: when it declares WebSocket endpoints in a way the starter "
				+ "sees, or sets " + property + "=true.",
				"Register the Jakarta endpoints with a ServerEndpointExporter bean, or set " + property
						+ "=true so that their sessions are closed by the drain.",
				cause);
	}

}
