package io.github.gracefulshutdown.actuate;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import io.github.gracefulshutdown.autoconfigure.ShutdownPhaseTimeouts;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.report.DrainReportContributor;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.autoconfigure.endpoint.expose.EndpointExposure;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Auto-configuration of the {@link GracefulShutdownEndpoint} and of the operations that
 * start a drain: the {@link GracefulShutdownEndpointWebExtension} and the
 * {@link PreStopEndpoint}, each only when its own {@code management.endpoint.<id>.access}
 * property turns it on, {@code management.endpoints.access.max-permitted} caps nothing,
 * and it is exposed over HTTP.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnDrain
@Conditional(GracefulShutdownEndpointAutoConfiguration.OnEitherEndpointAvailable.class)
public final class GracefulShutdownEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint
	GracefulShutdownEndpoint gracefulShutdownEndpoint(DrainCoordinator coordinator, DrainBudget budget,
			GracefulShutdownProperties properties, ObjectProvider<DrainReportContributor> contributors) {
		return new GracefulShutdownEndpoint(coordinator, () -> contributors.orderedStream().toList(),
				configuration(coordinator, budget, properties));
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	@Conditional(DrainPostCondition.class)
	GracefulShutdownEndpointWebExtension gracefulShutdownEndpointWebExtension(DrainCoordinator coordinator,
			GracefulShutdownEndpoint endpoint, Environment environment, ApplicationContext context) {
		DrainTriggerOperation.DRAIN_POST.requireServletApplication(context);
		DrainTriggerOperation.DRAIN_POST.warnIfServedOnMainPort(environment);
		return new GracefulShutdownEndpointWebExtension(coordinator, endpoint);
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnAvailableEndpoint(exposure = EndpointExposure.WEB)
	@Conditional(PreStopGetCondition.class)
	PreStopEndpoint preStopEndpoint(DrainCoordinator coordinator, ShutdownPhaseTimeouts phaseTimeouts,
			Environment environment, ApplicationContext context) {
		DrainTriggerOperation.PRE_STOP_GET.requireServletApplication(context);
		DrainTriggerOperation.PRE_STOP_GET.warnIfServedOnMainPort(environment);
		return new PreStopEndpoint(coordinator, phaseTimeouts);
	}

	private static Map<String, Object> configuration(DrainCoordinator coordinator, DrainBudget budget,
			GracefulShutdownProperties properties) {
		Map<String, Object> configuration = new LinkedHashMap<>();
		configuration.put("window", coordinator.window().toString());
		configuration.put("closeConnections", properties.isCloseConnections());
		configuration.put("terminationGracePeriodMillis", budget.terminationGracePeriod().toMillis());
		List<Map<String, Object>> allotments = budget.allotments()
			.stream()
			.map((allotment) -> Map.<String, Object>of("step", allotment.step(), "property", allotment.property(),
					"durationMillis", allotment.duration().toMillis()))
			.toList();
		configuration.put("budget", allotments);
		return configuration;
	}

	/**
	 * Matches when the drain endpoint or the preStop endpoint is available, so that an
	 * application that exposes neither, as by default, pays nothing for them at startup.
	 */
	static final class OnEitherEndpointAvailable extends AnyNestedCondition {

		OnEitherEndpointAvailable() {
			super(ConfigurationPhase.PARSE_CONFIGURATION);
		}

		@ConditionalOnAvailableEndpoint(GracefulShutdownEndpoint.class)
		static final class DrainEndpointAvailable {

		}

		@ConditionalOnAvailableEndpoint(PreStopEndpoint.class)
		static final class PreStopEndpointAvailable {

		}

	}

	static final class DrainPostCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return DrainTriggerOperation.DRAIN_POST.availability(context.getEnvironment());
		}

	}

	static final class PreStopGetCondition extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			return DrainTriggerOperation.PRE_STOP_GET.availability(context.getEnvironment());
		}

	}

}
