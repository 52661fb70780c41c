package io.github.gracefulshutdown.grpc;

import java.time.Duration;
import java.util.Objects;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.DrainPhaseBoundary;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import io.github.gracefulshutdown.autoconfigure.ShutdownPhaseTimeouts;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.report.DrainReportContributor;
import io.github.gracefulshutdown.web.InFlightDeadlineReporter;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionMessage;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration;
import org.springframework.boot.grpc.server.health.HealthCheckedGrpcComponents;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.core.io.ResourceLoader;
import org.springframework.core.type.AnnotatedTypeMetadata;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;
import org.springframework.grpc.server.service.GrpcServiceConfigurer;

/**
 * Auto-configuration that drains a Spring gRPC server (Netty, shaded Netty) with the
 * application: gRPC health turns NOT_SERVING when the drain starts, the server keeps
 * serving through the propagation window, then sends GOAWAY and drains its calls within
 * the shutdown's deadline, ending those still running with UNAVAILABLE. Its calls are
 * counted in meters, the report and the endpoint. Where the web server serves gRPC
 * (Spring gRPC's servlet transport) its calls are counted alike, drained with the web
 * server's requests, and those still running when its graceful phase ends are ended with
 * UNAVAILABLE. Works with Spring gRPC 1.0's auto-configuration (Spring Boot 4.0) and with
 * Spring Boot 4.1's gRPC server module alike: it relies on Spring gRPC's core
 * ({@link GrpcServerLifecycle}, its events, the global interceptors) and on the
 * auto-configuration class names both share, reads the properties the
 * {@link SpringGrpcLine} on the classpath names, and keeps Spring Boot 4.1's scheduled
 * health updates to the drain.
 */
@AutoConfiguration(
		after = { GracefulShutdownAutoConfiguration.class, GrpcServerAutoConfiguration.class,
				GrpcServerHealthAutoConfiguration.class },
		afterName = SpringGrpcLine.SPRING_GRPC_FACTORY_AUTO_CONFIGURATION)
@ConditionalOnClass({ Server.class, GrpcServerLifecycle.class })
@ConditionalOnDrain
@ConditionalOnBean(GrpcServiceConfigurer.class)
@ConditionalOnBooleanProperty(name = "graceful-shutdown.grpc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrpcDrainProperties.class)
public final class GrpcDrainAutoConfiguration {

	@Bean
	DrainReportContributor grpcCallsReportContributor(GrpcCallTracker calls) {
		return (drain, figures) -> {
			RequestActivity activity = calls.activity();
			figures.put("grpcCallsInFlight", activity.inFlight());
			figures.put("grpcCallsReceivedWhileDraining", activity.receivedWhileDraining());
			figures.put("grpcPropagationLagMillis", (drain != null)
					? activity.lastRequestAfterDrainStart(drain).map(Duration::toMillis).orElse(null) : null);
			figures.put("grpcCallsCutOff", activity.cutOff());
		};
	}

	/**
	 * Matches when Spring gRPC's grace period is set, under the name of the line on the
	 * classpath.
	 */
	static final class OnGracePeriodSet extends SpringBootCondition {

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			ConditionMessage.Builder message = ConditionMessage.forCondition("Spring gRPC shutdown grace period");
			SpringGrpcLine line = SpringGrpcLine.of(context.getClassLoader());
			if (line == null) {
				return ConditionOutcome.noMatch(message.because("no Spring gRPC server auto-configuration is present"));
			}
			String property = line.gracePeriodProperty();
			if (context.getEnvironment().containsProperty(property)) {
				return ConditionOutcome.match(message.found("property").items(property));
			}
			return ConditionOutcome.noMatch(message.didNotFind("property").items(property));
		}

	}

	/**
	 * Spring gRPC's own server (Netty, shaded Netty): drained when its lifecycle stops
	 * it.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(GrpcServerFactory.class)
	static class GrpcServerDrainConfiguration {

		@Bean
		@GlobalServerInterceptor
		@Order(Ordered.HIGHEST_PRECEDENCE)
		GrpcCallTracker grpcCallTracker(DrainCoordinator coordinator, RequestActivity requestActivity) {
			return new GrpcCallTracker(coordinator, requestActivity);
		}

		@Bean
		GrpcServerDrain grpcServerDrain(DrainCoordinator coordinator, GrpcCallTracker calls,
				ShutdownPhaseTimeouts phaseTimeouts, GracefulShutdownProperties properties, Environment environment,
				ResourceLoader resourceLoader, ObjectProvider<GrpcInFlightDrainListener> listeners) {
			return new GrpcServerDrain(coordinator, calls, phaseTimeouts::timeLeft,
					gracePeriod(environment, resourceLoader.getClassLoader()), () -> listeners.orderedStream().toList(),
					properties.getListenerTimeout(), properties.serverStopTimeout());
		}

		/**
		 * Counts Spring gRPC's grace period in the shutdown budget when the user set it:
		 * the gRPC calls are drained before the web server's requests, and may take that
		 * long. Otherwise the calls share what the deadline leaves with the web server's
		 * requests, and nothing is added.
		 * @param environment the environment
		 * @return the budget allotment for the gRPC calls
		 */
		@Bean
		@Conditional(OnGracePeriodSet.class)
		DrainBudget.Allotment grpcCallsAllotment(Environment environment, ResourceLoader resourceLoader) {
			SpringGrpcGracePeriod gracePeriod = Objects
				.requireNonNull(gracePeriod(environment, resourceLoader.getClassLoader()));
			return new DrainBudget.Allotment("gRPC calls", gracePeriod.property(), gracePeriod.duration());
		}

		private static @Nullable SpringGrpcGracePeriod gracePeriod(Environment environment,
				@Nullable ClassLoader classLoader) {
			SpringGrpcLine line = SpringGrpcLine.of(classLoader);
			return (line != null) ? SpringGrpcGracePeriod.of(line, environment) : null;
		}

	}

	/**
	 * gRPC served by the web server (Spring gRPC's servlet transport): its calls are HTTP
	 * requests, drained by the web server's graceful shutdown; those still running at its
	 * end are ended with UNAVAILABLE.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnMissingBean(GrpcServerFactory.class)
	static class ServletTransportConfiguration {

		@Bean
		@GlobalServerInterceptor
		@Order(Ordered.HIGHEST_PRECEDENCE)
		GrpcCallTracker grpcCallTracker(DrainCoordinator coordinator, RequestActivity requestActivity) {
			return GrpcCallTracker.forServletTransport(coordinator, requestActivity);
		}

		/**
		 * Ends the calls still running right after the web server's graceful phase,
		 * before the web server stops. The sends under way, and then the responses that
		 * carry the calls' status, get half the web server's stop timeout: the web
		 * server's stop follows, and the two must leave time for the beans before the
		 * watchdog's hard stop.
		 * @param coordinator the application's drain
		 * @param calls the calls in flight
		 * @param requestActivity the web server's requests, the calls among them
		 * @param properties the drain properties
		 * @return the boundary that ends them
		 */
		@Bean
		DrainPhaseBoundary servletTransportCallCutOff(DrainCoordinator coordinator, GrpcCallTracker calls,
				RequestActivity requestActivity, GracefulShutdownProperties properties) {
			return new DrainPhaseBoundary(InFlightDeadlineReporter.PHASE, new ServletTransportCallCutOff(coordinator,
					calls, requestActivity, properties.serverStopTimeout().dividedBy(2)));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthStatusManager.class)
	@ConditionalOnBean(HealthStatusManager.class)
	static class GrpcHealthConfiguration {

		@Bean
		GrpcHealthAvailability grpcHealthAvailability(HealthStatusManager health, DrainCoordinator coordinator,
				GrpcDrainProperties properties) {
			return new GrpcHealthAvailability(health, coordinator, properties.getReadinessServiceName(),
					properties.getLivenessServiceName());
		}

	}

	/**
	 * Spring Boot 4.1 and later write gRPC health from the application's health on a
	 * schedule of their own: keep those updates to the drain.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(HealthCheckedGrpcComponents.class)
	static class SpringBootGrpcHealthConfiguration {

		@Bean
		static DrainAwareGrpcHealthPostProcessor drainAwareGrpcHealthPostProcessor(
				ObjectProvider<DrainCoordinator> coordinator, ObjectProvider<GrpcDrainProperties> properties) {
			return new DrainAwareGrpcHealthPostProcessor(coordinator, properties);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class GrpcCallMetricsConfiguration {

		@Bean
		GrpcCallMetrics grpcCallMetrics(GrpcCallTracker calls) {
			return new GrpcCallMetrics(calls.activity());
		}

	}

}
