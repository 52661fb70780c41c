package io.github.gracefulshutdown.websocket.reactive;

import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.metrics.DrainMetricsAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.websocket.ServerEndpointSessions;
import io.github.gracefulshutdown.websocket.WebSocketDrainAutoConfiguration;
import io.github.gracefulshutdown.websocket.WebSocketDrainProperties;
import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactiveWebSocketDrainAutoConfiguration}.
 */
class ReactiveWebSocketDrainAutoConfigurationTests {

	private static final AutoConfigurations CONFIGURATIONS = AutoConfigurations.of(
			GracefulShutdownAutoConfiguration.class, WebSocketDrainAutoConfiguration.class,
			ReactiveWebSocketDrainAutoConfiguration.class, LifecycleAutoConfiguration.class);

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(CONFIGURATIONS);

	@Test
	void whenReactiveWebApplicationThenSessionsAreTrackedAndTheServletPartIsAbsent() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(SessionTrackingWebSocketHandlerAdapter.class)
			.hasSingleBean(WebSocketSessionDrain.class)
			.hasSingleBean(WebSocketDrainStats.class)
			.hasSingleBean(WebSocketDrainProperties.class)
			.doesNotHaveBean(ServerEndpointSessions.class));
	}

	@Test
	void whenServletWebApplicationThenTheReactivePartIsAbsent() {
		new WebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withPropertyValues("graceful-shutdown.websocket.enabled=true")
			.withConfiguration(CONFIGURATIONS)
			.run((context) -> assertThat(context).hasSingleBean(WebSocketSessionDrain.class)
				.hasSingleBean(ServerEndpointSessions.class)
				.doesNotHaveBean(SessionTrackingWebSocketHandlerAdapter.class));
	}

	@Test
	void whenNotAWebApplicationThenBacksOff() {
		new ApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(CONFIGURATIONS)
			.run((context) -> assertThat(context).doesNotHaveBean(WebSocketSessionDrain.class)
				.doesNotHaveBean(SessionTrackingWebSocketHandlerAdapter.class));
	}

	@Test
	void whenWebFluxIsMissingThenBacksOff() {
		this.runner.withClassLoader(new FilteredClassLoader(WebSocketHandlerAdapter.class))
			.run((context) -> assertThat(context).hasSingleBean(DrainCoordinator.class)
				.doesNotHaveBean(WebSocketSessionDrain.class)
				.doesNotHaveBean(SessionTrackingWebSocketHandlerAdapter.class));
	}

	@Test
	void whenTheDrainIsDisabledThenBacksOff() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DrainCoordinator.class)
				.doesNotHaveBean(SessionTrackingWebSocketHandlerAdapter.class));
	}

	@Test
	void whenTheWebSocketDrainIsDisabledThenBacksOffAndTheBudgetHasNoWebSocketStep() {
		this.runner.withPropertyValues("graceful-shutdown.websocket.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(DrainCoordinator.class)
				.doesNotHaveBean(WebSocketSessionDrain.class)
				.doesNotHaveBean(SessionTrackingWebSocketHandlerAdapter.class);
			assertThat(context.getBean(DrainBudget.class).allotments()).extracting(DrainBudget.Allotment::step)
				.doesNotContain("websocket drain");
		});
	}

	@Test
	void theBudgetCountsTheCloseSpreadAndTheCloseTimeoutAsForServletApplications() {
		this.runner
			.withPropertyValues("graceful-shutdown.websocket.close-spread=4s",
					"graceful-shutdown.websocket.close-timeout=1s")
			.run((context) -> assertThat(context.getBean(DrainBudget.class).allotments())
				.contains(new DrainBudget.Allotment("websocket drain",
						"graceful-shutdown.websocket.close-spread + graceful-shutdown.websocket.close-timeout",
						Duration.ofSeconds(5))));
	}

	@Test
	void theCloseIsConfiguredByTheSameProperties() {
		this.runner
			.withPropertyValues("graceful-shutdown.websocket.close-code=1012",
					"graceful-shutdown.websocket.close-reason=Restarting")
			.run((context) -> {
				WebSocketDrainProperties properties = context.getBean(WebSocketDrainProperties.class);
				assertThat(properties.getCloseCode()).isEqualTo(1012);
				assertThat(properties.getCloseReason()).isEqualTo("Restarting");
			});
	}

	@Test
	void whenTheCloseCodeCannotBeSentThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("graceful-shutdown.websocket.close-code=1006").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidDrainConfigurationException.class)
				.hasMessageContaining("graceful-shutdown.websocket.close-code is 1006");
		});
	}

	@Test
	void whenTheContextClosesThenTheConnectionDrainRunsBetweenTheWindowAndTheInFlightDrain() {
		this.runner.run((context) -> {
			DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
			WebSocketSessionDrain drain = context.getBean(WebSocketSessionDrain.class);

			context.close();

			assertThat(drain.isClosing()).isTrue();
			Drain finished = coordinator.drain().orElseThrow();
			assertThat(finished.timeline()).extracting("phase")
				.containsExactly(DrainPhase.PROPAGATION_WINDOW, DrainPhase.CONNECTION_DRAIN,
						DrainPhase.IN_FLIGHT_DRAIN);
		});
	}

	@Test
	void reactiveSessionsAreMeteredLikeServletOnes() {
		this.runner
			.withConfiguration(
					AutoConfigurations.of(DrainMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
							CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("graceful.shutdown.websocket.sessions.active").gauge().value()).isZero();
				assertThat(registry.find("graceful.shutdown.websocket.sessions.closed").functionCounters()).hasSize(4);
				assertThat(registry.find("graceful.shutdown.websocket.handshakes.rejected").functionCounter())
					.isNotNull();
			});
	}

}
