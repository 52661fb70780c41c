package io.github.gracefulshutdown.kubernetes;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.drain.EndpointAwarePropagationWindow;
import io.github.gracefulshutdown.drain.EndpointRemovalWatch;
import io.github.gracefulshutdown.drain.ExtendingPropagationWindow;
import io.github.gracefulshutdown.drain.PropagationWindow;
import io.github.gracefulshutdown.test.TestDefaults;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EndpointWatchAutoConfiguration}.
 */
class EndpointWatchAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withPropertyValues("graceful-shutdown.drain-on-any-close=false")
		.withConfiguration(
				AutoConfigurations.of(EndpointWatchAutoConfiguration.class, GracefulShutdownAutoConfiguration.class,
						ApplicationAvailabilityAutoConfiguration.class, LifecycleAutoConfiguration.class));

	private final WebApplicationContextRunner inPod = this.runner.withPropertyValues(
			"spring.main.cloud-platform=kubernetes", "KUBERNETES_SERVICE_HOST=10.96.0.1", "KUBERNETES_SERVICE_PORT=443",
			"HOSTNAME=shop-7d4b9c-x2x9k");

	@Test
	void whenNotEnabledThenTheWindowDoesNotWatchTheEndpoint() {
		this.inPod.run((context) -> {
			assertThat(context).doesNotHaveBean(EndpointRemovalWatch.class);
			assertThat(context.getBean(PropagationWindow.class)).isInstanceOf(ExtendingPropagationWindow.class);
		});
	}

	@Test
	void whenEnabledInAPodThenTheWindowWatchesTheEndpoint() {
		this.inPod.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true").run((context) -> {
			assertThat(context).hasSingleBean(EndpointSliceWatch.class);
			assertThat(context.getBean(PropagationWindow.class)).isInstanceOf(EndpointAwarePropagationWindow.class);
			assertThat(context.getBean(EndpointSliceWatch.class).tail()).hasSeconds(2);
		});
	}

	@Test
	void whenEnabledOutsideKubernetesThenNothingIsWatched() {
		this.runner.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true")
			.run((context) -> assertThat(context).doesNotHaveBean(EndpointRemovalWatch.class));
	}

	@Test
	void whenTheDrainIsOffThenNothingIsWatched() {
		this.inPod
			.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true",
					"graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(EndpointRemovalWatch.class));
	}

	@Test
	void whenTheUserDefinesAWatchThenItIsUsed() {
		this.inPod.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true")
			.withBean("userWatch", EndpointRemovalWatch.class, UserWatch::new)
			.run((context) -> assertThat(context).hasSingleBean(EndpointRemovalWatch.class)
				.hasBean("userWatch")
				.doesNotHaveBean("endpointSliceWatch"));
	}

	@Test
	void whenTheTailIsNegativeThenStartupFailsNamingIt() {
		this.inPod
			.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true",
					"graceful-shutdown.window.endpoint-watch.tail=-1s")
			.run((context) -> assertFailure(context, "graceful-shutdown.window.endpoint-watch.tail is -1s"));
	}

	@Test
	void whenTheRequestTimeoutIsZeroThenStartupFailsNamingIt() {
		this.inPod
			.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true",
					"graceful-shutdown.window.endpoint-watch.request-timeout=0")
			.run((context) -> assertFailure(context,
					"graceful-shutdown.window.endpoint-watch.request-timeout is 0s, but it must be positive"));
	}

	@Test
	void whenTheApiServerIsNotAUrlThenStartupFailsNamingIt() {
		this.inPod
			.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true",
					"graceful-shutdown.window.endpoint-watch.api-server=kubernetes.default.svc")
			.run((context) -> assertFailure(context, "graceful-shutdown.window.endpoint-watch.api-server is "
					+ "'kubernetes.default.svc', which is not an http or https URL"));
	}

	@Test
	void whenNoApiServerIsKnownThenStartupFailsNamingTheProperty() {
		this.inPod
			.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true", "KUBERNETES_SERVICE_HOST=")
			.run((context) -> assertFailure(context,
					"graceful-shutdown.window.endpoint-watch.api-server is not set and the KUBERNETES_SERVICE_HOST"));
	}

	@Test
	void whenNeitherJacksonNorGsonIsThereThenStartupFailsNamingThem() {
		this.inPod.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true")
			.withClassLoader(new FilteredClassLoader("tools.jackson", "com.google.gson"))
			.run((context) -> assertFailure(context, "graceful-shutdown.window.endpoint-watch.enabled is true, but "
					+ "neither Jackson 3 (tools.jackson.databind) nor Gson is on the classpath"));
	}

	@Test
	void withGsonAloneTheStartupCheckAcceptsTheWatch() {
		this.inPod.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true")
			.withClassLoader(new FilteredClassLoader("tools.jackson"))
			.run((context) -> assertThat(context).hasSingleBean(EndpointSliceWatch.class));
	}

	@Test
	void whenThePodHasNoNameThenStartupFailsNamingTheProperty() {
		this.inPod.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true", "HOSTNAME=")
			.run((context) -> assertFailure(context,
					"graceful-shutdown.window.endpoint-watch.pod-name is not set and neither is the HOSTNAME"));
	}

	@Test
	void whenThePodHasOnlyAnIpThenTheWindowWatchesTheEndpoint() {
		this.inPod
			.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true", "HOSTNAME=",
					"graceful-shutdown.window.endpoint-watch.pod-ip=10.1.2.3")
			.run((context) -> assertThat(context.getBean(PropagationWindow.class))
				.isInstanceOf(EndpointAwarePropagationWindow.class));
	}

	@Test
	void whenTheWindowIsFixedThenStartupFailsNamingBothProperties() {
		this.inPod
			.withPropertyValues("graceful-shutdown.window.endpoint-watch.enabled=true",
					"graceful-shutdown.window.mode=fixed")
			.run((context) -> assertFailure(context,
					"graceful-shutdown.window.endpoint-watch.enabled is true, " + "but the window does not extend"));
	}

	static class UserWatch implements EndpointRemovalWatch {

		@Override
		public CompletableFuture<Long> start() {
			return new CompletableFuture<>();
		}

		@Override
		public Duration tail() {
			return Duration.ZERO;
		}

	}

	private static void assertFailure(AssertableWebApplicationContext context, String description) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(InvalidDrainConfigurationException.class)
			.hasMessageContaining(description);
	}

}
