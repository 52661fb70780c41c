package io.github.gracefulshutdown.grpc;

import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.task.TaskDrainStats;
import io.github.gracefulshutdown.task.TaskDrainAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.testsupport.EchoService;
import io.grpc.Server;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GrpcDrainAutoConfiguration}.
 */
class GrpcDrainAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withPropertyValues(SpringGrpcLines.onLoopbackAtAFreePort())
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, SslAutoConfiguration.class,
				GrpcDrainAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(SpringGrpcLines.serverAutoConfigurations()));

	private final ApplicationContextRunner withoutAWebServer = new ApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withPropertyValues(SpringGrpcLines.onLoopbackAtAFreePort())
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, SslAutoConfiguration.class,
				GrpcDrainAutoConfiguration.class, TaskDrainAutoConfiguration.class))
		.withConfiguration(AutoConfigurations.of(SpringGrpcLines.serverAutoConfigurations()));

	private final String gracePeriodProperty = SpringGrpcLines.CURRENT.gracePeriodProperty();

	private final WebApplicationContextRunner withService = this.runner.withBean(EchoService.class,
			() -> new EchoService("test"));

	@Test
	void whenSpringGrpcServesThenItsCallsAreTrackedItsHealthFollowsTheDrainAndItsServerIsDrained() {
		this.withService.run((context) -> assertThat(context).hasSingleBean(GrpcServerLifecycle.class)
			.hasSingleBean(GrpcCallTracker.class)
			.hasSingleBean(GrpcServerDrain.class)
			.doesNotHaveBean("servletTransportCallCutOff")
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
	void whenSpringGrpcServesWithoutAWebServerThenTheApplicationIsDrained() {
		this.withoutAWebServer.withBean(EchoService.class, () -> new EchoService("test"))
			.run((context) -> assertThat(context).hasSingleBean(DrainCoordinator.class)
				.hasSingleBean(GrpcCallTracker.class)
				.hasSingleBean(GrpcServerDrain.class)
				.hasSingleBean(GrpcHealthAvailability.class)
				.hasSingleBean(TaskDrainStats.class));
	}

	@Test
	void whenSpringBootsWebServerSupportIsAbsentThenAGrpcServerIsStillDrained() {
		this.withoutAWebServer.withBean(EchoService.class, () -> new EchoService("test"))
			.withClassLoader(new FilteredClassLoader(WebServerApplicationContext.class))
			.run((context) -> assertThat(context).hasSingleBean(DrainCoordinator.class)
				.hasSingleBean(GrpcServerDrain.class));
	}

	@Test
	void whenAnApplicationWithoutAWebServerServesNoGrpcThenItIsNotDrained() {
		this.withoutAWebServer
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DrainCoordinator.class));
	}

	@Test
	void whenTheGrpcServerIsDisabledThenAnApplicationWithoutAWebServerIsNotDrained() {
		this.withoutAWebServer.withBean(EchoService.class, () -> new EchoService("test"))
			.withPropertyValues("spring.grpc.server.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DrainCoordinator.class));
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
	void theLineOfSpringGrpcAutoConfigurationIsTheOneOfTheSpringBootVersion() {
		assertThat(SpringGrpcLines.CURRENT).isEqualTo(SpringGrpcLines.expected());
	}

	@Test
	void whenSpringGrpcsGracePeriodIsNotSetThenTheBudgetHasNoStepForIt() {
		this.withService.run((context) -> assertThat(context.getBean(DrainBudget.class).allotments())
			.extracting(DrainBudget.Allotment::property)
			.doesNotContain(this.gracePeriodProperty));
	}

	@Test
	void whenSpringGrpcsGracePeriodIsSetThenTheBudgetCountsIt() {
		this.withService.withPropertyValues(this.gracePeriodProperty + "=7")
			.run((context) -> assertThat(context.getBean(DrainBudget.class).allotments())
				.contains(new DrainBudget.Allotment("gRPC calls", this.gracePeriodProperty, Duration.ofSeconds(7))));
	}

	@Test
	void theGracePeriodTakesAUnit() {
		this.withService.withPropertyValues(this.gracePeriodProperty + "=500ms")
			.run((context) -> assertThat(context.getBean(DrainBudget.class).allotments())
				.contains(new DrainBudget.Allotment("gRPC calls", this.gracePeriodProperty, Duration.ofMillis(500))));
	}

	@Test
	void theOtherLinesNameForTheGracePeriodIsNotRead() {
		String otherName = SpringGrpcLines.otherLinesGracePeriodProperty();
		this.withService.withPropertyValues(otherName + "=-1").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(DrainBudget.class).allotments()).extracting(DrainBudget.Allotment::property)
				.doesNotContain(otherName, this.gracePeriodProperty);
		});
	}

	@Test
	void whenSpringGrpcsGracePeriodDoesNotFitTheBudgetThenStartupFailsNamingIt() {
		this.withService
			.withPropertyValues(this.gracePeriodProperty + "=40s", "graceful-shutdown.termination-grace-period=30s")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(InvalidDrainConfigurationException.class)
					.hasMessageContaining(this.gracePeriodProperty);
			});
	}

	@Test
	void whenSpringGrpcWouldWaitForeverThenStartupFailsNamingTheProperty() {
		this.withService.withPropertyValues(this.gracePeriodProperty + "=-1").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidDrainConfigurationException.class)
				.hasMessageContaining(this.gracePeriodProperty)
				.hasMessageContaining("forever");
		});
	}

}
