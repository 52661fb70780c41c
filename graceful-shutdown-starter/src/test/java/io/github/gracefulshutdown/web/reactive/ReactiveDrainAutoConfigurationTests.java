package io.github.gracefulshutdown.web.reactive;

import io.github.gracefulshutdown.actuate.DrainHealthAutoConfiguration;
import io.github.gracefulshutdown.actuate.GracefulShutdownEndpointAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.metrics.DrainMetricsAutoConfiguration;
import io.github.gracefulshutdown.task.TaskDrainAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.web.ProbeDetector;
import io.github.gracefulshutdown.web.server.WebServerStopAutoConfiguration;
import io.github.gracefulshutdown.web.servlet.ServletDrainAutoConfiguration;
import io.github.gracefulshutdown.websocket.WebSocketDrainAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactiveDrainAutoConfiguration}.
 */
class ReactiveDrainAutoConfigurationTests {

	private static final AutoConfigurations STARTER = AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
			ServletDrainAutoConfiguration.class, ReactiveDrainAutoConfiguration.class,
			WebServerStopAutoConfiguration.class, DrainMetricsAutoConfiguration.class,
			GracefulShutdownEndpointAutoConfiguration.class, DrainHealthAutoConfiguration.class,
			WebSocketDrainAutoConfiguration.class, TaskDrainAutoConfiguration.class);

	@Test
	void inAReactiveApplicationTheDrainSeesEveryRequest() {
		new ReactiveWebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(STARTER)
			.run((context) -> assertThat(context).hasSingleBean(DrainCoordinator.class)
				.hasSingleBean(DrainWebFilter.class)
				.hasSingleBean(StreamingResponses.class)
				.hasSingleBean(ProbeDetector.class)
				.hasBean("reactiveInFlightDeadlineReporter"));
	}

	@Test
	void aReactiveApplicationWithoutTheServletApiStillDrains() {
		new ReactiveWebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(STARTER)
			.withClassLoader(new FilteredClassLoader("jakarta.servlet", "org.springframework.web.servlet",
					"org.apache.catalina", "org.eclipse.jetty"))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(DrainWebFilter.class)
				.hasSingleBean(DrainCoordinator.class));
	}

	@Test
	void inAServletApplicationTheReactivePartIsAbsent() {
		new WebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(STARTER)
			.run((context) -> assertThat(context).hasSingleBean(DrainCoordinator.class)
				.doesNotHaveBean(DrainWebFilter.class)
				.doesNotHaveBean(StreamingResponses.class));
	}

	@Test
	void whenTheDrainIsDisabledNothingIsConfigured() {
		new ReactiveWebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withPropertyValues("graceful-shutdown.enabled=false")
			.withConfiguration(STARTER)
			.run((context) -> assertThat(context).doesNotHaveBean(DrainCoordinator.class)
				.doesNotHaveBean(DrainWebFilter.class));
	}

}
