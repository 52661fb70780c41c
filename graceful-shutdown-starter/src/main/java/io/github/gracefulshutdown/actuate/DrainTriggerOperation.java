package io.github.gracefulshutdown.actuate;

import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.context.reactive.ReactiveWebApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;

/**
 * The actuator operations that start a drain, and the settings that decide whether they
 * exist. One request to a trigger takes the instance out of service for good, so a
 * generic setting ({@code management.endpoints.access.default}, the deprecated
 * {@code management.endpoints.enabled-by-default}, exposure {@code *}) never turns one
 * on: only the trigger's own {@code management.endpoint.<id>.access} does, and only while
 * {@code management.endpoints.access.max-permitted} caps nothing.
 */
enum DrainTriggerOperation {

	/**
	 * {@code GET} on the {@link PreStopEndpoint}, for a {@code preStop} {@code httpGet}
	 * hook.
	 */
	PRE_STOP_GET(PreStopEndpoint.ID, "GET", Access.READ_ONLY),

	/**
	 * {@code POST} on the {@link GracefulShutdownEndpoint}, the
	 * {@link GracefulShutdownEndpointWebExtension}'s write operation.
	 */
	DRAIN_POST(GracefulShutdownEndpoint.ID, "POST", Access.UNRESTRICTED);

	private static final String MAX_PERMITTED_PROPERTY = "management.endpoints.access.max-permitted";

	private static final Log logger = LogFactory.getLog(DrainTriggerOperation.class);

	private final String description;

	private final Access requiredAccess;

	private final String accessProperty;

	DrainTriggerOperation(String endpointId, String method, Access requiredAccess) {
		this.description = method + " on the '" + endpointId + "' endpoint";
		this.requiredAccess = requiredAccess;
		this.accessProperty = "management.endpoint." + endpointId + ".access";
	}

	/**
	 * Whether the environment turns this trigger on.
	 * @param environment the environment
	 * @return the outcome, with the setting that decided it
	 */
	ConditionOutcome availability(Environment environment) {
		ConditionMessage.Builder message = ConditionMessage.forCondition("Drain trigger", this.description);
		Binder binder = Binder.get(environment);
		Access access = binder.bind(this.accessProperty, Access.class).orElse(null);
		if (access == null || access.cap(this.requiredAccess) != this.requiredAccess) {
			String reason = "%s is %s but must be at least %s; generic access settings do not turn drain triggers on"
				.formatted(this.accessProperty, (access != null) ? access : "not set", this.requiredAccess);
			return ConditionOutcome.noMatch(message.because(reason));
		}
		Access maxPermitted = binder.bind(MAX_PERMITTED_PROPERTY, Access.class).orElse(Access.UNRESTRICTED);
		if (maxPermitted != Access.UNRESTRICTED) {
			return ConditionOutcome.noMatch(message.because(MAX_PERMITTED_PROPERTY + " is " + maxPermitted));
		}
		return ConditionOutcome.match(message.because(this.accessProperty + " is " + access));
	}

	/**
	 * Fails when this trigger is turned on in a reactive web application, where it would
	 * refuse every call: it checks the caller's header on the servlet request that Spring
	 * MVC exposes to the operation, and WebFlux exposes none.
	 * @param context the application context
	 * @throws InvalidDrainConfigurationException in a reactive web application
	 */
	void requireServletApplication(ApplicationContext context) {
		if (context instanceof ReactiveWebApplicationContext) {
			throw new InvalidDrainConfigurationException(
					this.accessProperty + " turns on " + this.description + ", which this reactive web application "
							+ "cannot serve: a trigger checks the caller's header on the servlet request, and WebFlux "
							+ "has none, so every call would be refused.",
					"Remove " + this.accessProperty + ": on WebFlux the drain starts with SIGTERM, with no preStop "
							+ "hook.");
		}
	}

	/**
	 * Logs a warning when this trigger is served on the application's main port, where
	 * whoever reaches the application can reach the trigger.
	 * @param environment the environment
	 */
	void warnIfServedOnMainPort(Environment environment) {
		if (ManagementPortType.get(environment) == ManagementPortType.SAME) {
			logger.warn(("%s, turned on by %s, starts a drain and is served on the application's main port: any "
					+ "client that reaches the application can take it out of service. Set management.server.port "
					+ "to a port that no Service, Ingress or Gateway routes to.")
				.formatted(this.description, this.accessProperty));
		}
	}

}
