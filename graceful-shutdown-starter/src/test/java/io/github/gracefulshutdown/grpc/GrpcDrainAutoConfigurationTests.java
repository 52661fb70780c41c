package io.github.gracefulshutdown.grpc;

import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.test.TestDefaults;
import io.grpc.Server;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GrpcDrainAutoConfiguration}.
 */
class GrpcDrainAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withPropertyValues("spring.grpc.server.address=127.0.0.1:0")
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, SslAutoConfiguration.class,
				GrpcServerFactoryAutoConfiguration.class, GrpcServerAutoConfiguration.class,
				GrpcServerHealthAutoConfiguration.class, GrpcDrainAutoConfiguration.class));

	private final WebApplicationContextRunner withService = this.runner.withBean(EchoService.class,
			() -> new EchoService("test"));

	@Test
	void whenSpringGrpcServesThenItsCallsAreTrackedItsHealthFollowsTheDrainAndItsServerIsDrained() {
		this.withService.run((context) -> assertThat(context).hasSingleBean(GrpcServerLifecycle.class)
			.hasSingleBean(GrpcCallTracker.class)
			.hasSingleBean(GrpcServerDrain.class)
			.hasSingleBean(GrpcHealthAvailability.class)
			.hasSingleBean(GrpcCallMetrics.class)
			.hasBean("grpcCallsReportContributor"));
	}

	@Test
	void whenNoGrpcServiceIsDefinedThenNothingIsConfigured() {
		this.runner.run((context) -> assertThat(context).hasNotFailed()
			.doesNotHaveBean(GrpcServerLifecycle.class)
			.doesNotHaveBean(GrpcCallTracker.class)
			.doesNotHaveBean(GrpcServerDrain.class));
	}

	@Test
	void whenGrpcIsAbsentThenNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(Server.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(GrpcCallTracker.class)
				.doesNotHaveBean(GrpcServerDrain.class));
	}

	@Test
	void whenTheGrpcDrainIsDisabledThenTheServerIsLeftToSpringGrpc() {
		this.withService.withPropertyValues("graceful-shutdown.grpc.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(GrpcServerLifecycle.class)
				.doesNotHaveBean(GrpcCallTracker.class)
				.doesNotHaveBean(GrpcServerDrain.class));
	}

	@Test
	void whenTheDrainIsDisabledThenNothingIsConfigured() {
		this.withService.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(GrpcServerDrain.class));
	}

	@Test
	void whenGrpcHealthIsDisabledThenCallsAreStillDrained() {
		this.withService.withPropertyValues("spring.grpc.server.health.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(GrpcServerDrain.class)
				.doesNotHaveBean(GrpcHealthAvailability.class));
	}

	@Test
	void healthServiceNamesCanBeChanged() {
		this.withService
			.withPropertyValues("graceful-shutdown.grpc.readiness-service-name=ready",
					"graceful-shutdown.grpc.liveness-service-name=live")
			.run((context) -> assertThat(context.getBean(GrpcHealthAvailability.class))
				.hasFieldOrPropertyWithValue("readinessService", "ready")
				.hasFieldOrPropertyWithValue("livenessService", "live"));
	}

	@Test
	void whenSpringGrpcsGracePeriodIsNotSetThenTheBudgetHasNoStepForIt() {
		this.withService.run((context) -> assertThat(context.getBean(DrainBudget.class).allotments())
			.extracting(DrainBudget.Allotment::property)
			.doesNotContain(GrpcDrainAutoConfiguration.GRACE_PERIOD_PROPERTY));
	}

	@Test
	void whenSpringGrpcsGracePeriodIsSetThenTheBudgetCountsIt() {
		this.withService.withPropertyValues("spring.grpc.server.shutdown-grace-period=7")
			.run((context) -> assertThat(context.getBean(DrainBudget.class).allotments())
				.contains(new DrainBudget.Allotment("gRPC calls", GrpcDrainAutoConfiguration.GRACE_PERIOD_PROPERTY,
						Duration.ofSeconds(7))));
	}

	@Test
	void springBoot41sNameForTheGracePeriodIsReadToo() {
		this.withService.withPropertyValues("spring.grpc.server.shutdown.grace-period=5s")
			.run((context) -> assertThat(context.getBean(DrainBudget.class).allotments())
				.contains(new DrainBudget.Allotment("gRPC calls", GrpcDrainAutoConfiguration.BOOT_GRACE_PERIOD_PROPERTY,
						Duration.ofSeconds(5))));
	}

	@Test
	void whenSpringGrpcsGracePeriodDoesNotFitTheBudgetThenStartupFailsNamingIt() {
		this.withService
			.withPropertyValues("spring.grpc.server.shutdown-grace-period=40s",
					"graceful-shutdown.termination-grace-period=30s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidDrainConfigurationException.class)
					.hasMessageContaining(GrpcDrainAutoConfiguration.GRACE_PERIOD_PROPERTY);
			});
	}

	@Test
	void whenSpringGrpcWouldWaitForeverThenStartupFailsNamingTheProperty() {
		this.withService.withPropertyValues("spring.grpc.server.shutdown-grace-period=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidDrainConfigurationException.class)
				.hasMessageContaining(GrpcDrainAutoConfiguration.GRACE_PERIOD_PROPERTY)
				.hasMessageContaining("forever");
		});
	}

}
