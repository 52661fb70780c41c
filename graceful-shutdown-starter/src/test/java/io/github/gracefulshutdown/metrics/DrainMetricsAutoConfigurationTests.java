package io.github.gracefulshutdown.metrics;

import java.util.concurrent.atomic.AtomicBoolean;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.task.TaskDrainAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.web.reactive.ReactiveDrainAutoConfiguration;
import io.github.gracefulshutdown.web.servlet.ServletDrainAutoConfiguration;
import io.github.gracefulshutdown.websocket.WebSocketDrainAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DrainMetricsAutoConfiguration}.
 */
class DrainMetricsAutoConfigurationTests {

	/**
	 * Turns the WebSocket drain on in applications that declare no endpoint.
	 */
	private static final String WEBSOCKET_DRAIN_ON = "graceful-shutdown.websocket.enabled=true";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				DrainMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	@Test
	void registersTheDrainMetersWithEveryRegistry() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.get("graceful.shutdown.state").tag("state", "serving").gauge().value()).isOne();
			assertThat(registry.find("graceful.shutdown.requests.active").gauge()).isNotNull();
		});
	}

	@Test
	void partsThatAreNotSetUpHaveNoMeters() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			assertThat(registry.find("graceful.shutdown.streams.active").gauge()).isNull();
			assertThat(registry.find("graceful.shutdown.websocket.sessions.active").gauge()).isNull();
			assertThat(registry.find("graceful.shutdown.tasks.active").gauge()).isNull();
		});
	}

	@Test
	void whenEveryPartIsSetUpThenEachIsMetered() {
		this.runner
			.withConfiguration(AutoConfigurations.of(ServletDrainAutoConfiguration.class,
					WebSocketDrainAutoConfiguration.class, TaskDrainAutoConfiguration.class))
			.withPropertyValues(WEBSOCKET_DRAIN_ON)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("graceful.shutdown.streams.active").gauge().value()).isZero();
				assertThat(registry.get("graceful.shutdown.websocket.sessions.active").gauge().value()).isZero();
				assertThat(registry.get("graceful.shutdown.tasks.active").gauge().value()).isZero();
			});
	}

	@Test
	void inAReactiveApplicationTheStreamingResponsesAreMetered() {
		new ReactiveWebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(
					AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, ReactiveDrainAutoConfiguration.class,
							DrainMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
							CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class))
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("graceful.shutdown.streams.active").gauge().value()).isZero();
				assertThat(registry.get("graceful.shutdown.streams.completed").functionCounter().count()).isZero();
			});
	}

	@Test
	void whenWebSocketsAreDrainedTheirSessionsAreMetered() {
		this.runner.withConfiguration(AutoConfigurations.of(WebSocketDrainAutoConfiguration.class))
			.withPropertyValues(WEBSOCKET_DRAIN_ON)
			.run((context) -> {
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get("graceful.shutdown.websocket.sessions.active").gauge().value()).isZero();
				assertThat(registry.get("graceful.shutdown.websocket.sessions.closed")
					.tag("outcome", "force_closed")
					.functionCounter()
					.count()).isZero();
				assertThat(registry.find("graceful.shutdown.websocket.sessions.closed").functionCounters()).hasSize(4);
				assertThat(registry.find("graceful.shutdown.websocket.handshakes.rejected").functionCounter())
					.isNotNull();
			});
	}

	@Test
	void whenMicrometerIsAbsentThenBacksOff() {
		new WebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(
					AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, DrainMetricsAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(MeterRegistry.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DrainMetrics.class)
				.doesNotHaveBean(DeferredMeterRegistryCloser.class));
	}

	@Test
	void whenTheDrainIsDisabledThenBacksOff() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DrainMetrics.class));
	}

	@Test
	void registriesStayOpenThroughTheWebServersGracefulPhaseAndCloseAfterTheDrain() {
		this.runner.withUserConfiguration(RegistryProbeConfiguration.class).run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			RegistryProbe probe = context.getBean(RegistryProbe.class);

			context.close();

			assertThat(probe.closedDuringGracefulPhase).isFalse();
			assertThat(registry.isClosed()).isTrue();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class RegistryProbeConfiguration {

		@Bean
		RegistryProbe registryProbe(MeterRegistry registry) {
			return new RegistryProbe(registry);
		}

	}

	/**
	 * Looks at the registry in the web server's graceful phase.
	 */
	static class RegistryProbe implements SmartLifecycle {

		private final MeterRegistry registry;

		private final AtomicBoolean running = new AtomicBoolean();

		volatile Boolean closedDuringGracefulPhase;

		RegistryProbe(MeterRegistry registry) {
			this.registry = registry;
		}

		@Override
		public void start() {
			this.running.set(true);
		}

		@Override
		public void stop() {
			this.running.set(false);
			this.closedDuringGracefulPhase = this.registry.isClosed();
		}

		@Override
		public boolean isRunning() {
			return this.running.get();
		}

		@Override
		public int getPhase() {
			return WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE;
		}

	}

}
