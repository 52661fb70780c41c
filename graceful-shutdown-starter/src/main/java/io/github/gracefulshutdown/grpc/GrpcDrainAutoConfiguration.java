package io.github.gracefulshutdown.grpc;

import java.time.Duration;
import java.util.Objects;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import io.github.gracefulshutdown.autoconfigure.ShutdownPhaseTimeouts;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.report.DrainReportContributor;
import io.grpc.Server;
import io.grpc.protobuf.services.HealthStatusManager;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.grpc.server.GlobalServerInterceptor;
import org.springframework.grpc.server.GrpcServerFactory;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

/**
 * Auto-configuration that drains a Spring gRPC server (Netty, shaded Netty) with the
 * application: gRPC health turns NOT_SERVING when the drain starts, the server keeps
 * serving through the propagation window, then sends GOAWAY and drains its calls within
 * the shutdown's deadline, ending those still running with UNAVAILABLE. Its calls are
 * counted in meters, the report and the endpoint.
 */
@AutoConfiguration(after = { GracefulShutdownAutoConfiguration.class, GrpcServerFactoryAutoConfiguration.class,
		GrpcServerHealthAutoConfiguration.class })
@ConditionalOnClass({ Server.class, GrpcServerLifecycle.class })
@ConditionalOnDrain
@ConditionalOnBean(GrpcServerFactory.class)
@ConditionalOnBooleanProperty(name = "graceful-shutdown.grpc.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GrpcDrainProperties.class)
public final class GrpcDrainAutoConfiguration {

	/**
	 * Spring gRPC's own limit on the wait for calls in flight (Spring gRPC 1.0).
	 */
	static final String GRACE_PERIOD_PROPERTY = "spring.grpc.server.shutdown-grace-period";

	/**
	 * The same limit under the name Spring Boot 4.1's gRPC server module gives it.
	 */
	static final String BOOT_GRACE_PERIOD_PROPERTY = "spring.grpc.server.shutdown.grace-period";

	@Bean
	@GlobalServerInterceptor
	@Order(Ordered.HIGHEST_PRECEDENCE)
	GrpcCallTracker grpcCallTracker(DrainCoordinator coordinator, RequestActivity requestActivity) {
		return new GrpcCallTracker(coordinator, new RequestActivity(requestActivity));
	}

	@Bean
	GrpcServerDrain grpcServerDrain(DrainCoordinator coordinator, GrpcCallTracker calls,
			ShutdownPhaseTimeouts phaseTimeouts, GracefulShutdownProperties properties, Environment environment,
			ObjectProvider<GrpcInFlightDrainListener> listeners) {
		SpringGrpcGracePeriod gracePeriod = SpringGrpcGracePeriod.of(environment);
		return new GrpcServerDrain(coordinator, calls, phaseTimeouts::timeLeft,
				(gracePeriod != null) ? gracePeriod.duration() : null, () -> listeners.orderedStream().toList(),
				properties.getListenerTimeout(), stopTimeout(properties));
	}

	/**
	 * Counts Spring gRPC's grace period in the shutdown budget when the user set it: the
	 * gRPC calls are drained before the web server's requests, and may take that long.
	 * Otherwise the calls share what the deadline leaves with the web server's requests,
	 * and nothing is added.
	 * @param environment the environment
	 * @return the budget allotment for the gRPC calls
	 */
	@Bean
	@Conditional(OnGracePeriodSet.class)
	DrainBudget.Allotment grpcCallsAllotment(Environment environment) {
		SpringGrpcGracePeriod gracePeriod = Objects.requireNonNull(SpringGrpcGracePeriod.of(environment));
		return new DrainBudget.Allotment("gRPC calls", gracePeriod.property(), gracePeriod.duration());
	}

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
	 * Once its calls have ended, the gRPC server has nothing left to finish: it gets half
	 * of {@code graceful-shutdown.safety-margin} to terminate, as the web servers do.
	 */
	private static Duration stopTimeout(GracefulShutdownProperties properties) {
		Duration margin = properties.getSafetyMargin();
		return margin.isNegative() ? Duration.ZERO : margin.dividedBy(2);
	}

	/**
	 * Matches when Spring gRPC's grace period is set, under either of its names.
	 */
	static final class OnGracePeriodSet extends AnyNestedCondition {

		OnGracePeriodSet() {
			super(ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty(GRACE_PERIOD_PROPERTY)
		static final class SpringGrpcProperty {

		}

		@ConditionalOnProperty(BOOT_GRACE_PERIOD_PROPERTY)
		static final class SpringBootProperty {

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

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass(MeterBinder.class)
	static class GrpcCallMetricsConfiguration {

		@Bean
		GrpcCallMetrics grpcCallMetrics(GrpcCallTracker calls) {
			return new GrpcCallMetrics(calls.activity());
		}

	}

}
