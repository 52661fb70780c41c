package io.github.gracefulshutdown.actuate;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.test.TestDefaults;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GracefulShutdownEndpointAutoConfiguration} and
 * {@link DrainHealthAutoConfiguration}.
 */
class GracefulShutdownEndpointAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				GracefulShutdownEndpointAutoConfiguration.class, DrainHealthAutoConfiguration.class,
				EndpointAutoConfiguration.class));

	@Test
	void whenExposedTheDrainEndpointIsAvailableButThePreStopEndpointIsNot() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=gracefulshutdown,prestop")
			.run((context) -> assertThat(context).hasSingleBean(GracefulShutdownEndpoint.class)
				.doesNotHaveBean(PreStopEndpoint.class));
	}

	@Test
	void whenNotExposedTheDrainEndpointIsNotCreated() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(GracefulShutdownEndpoint.class));
	}

	@Test
	void thePreStopEndpointIsAvailableOnlyWhenAccessIsGrantedAndItIsExposed() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=prestop",
					"management.endpoint.prestop.access=READ_ONLY")
			.run((context) -> assertThat(context).hasSingleBean(PreStopEndpoint.class));
	}

	@Test
	void theEndpointDescribesStateConfigurationAndBudget() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=gracefulshutdown",
					"graceful-shutdown.delay=0s")
			.run((context) -> {
				DrainDescriptor drain = context.getBean(GracefulShutdownEndpoint.class).drain();
				assertThat(drain.state()).isEqualTo("SERVING");
				assertThat(drain.trigger()).isNull();
				assertThat(drain.timeline()).isEmpty();
				assertThat(drain.figures()).containsEntry("requestsInFlight", 0L);
				assertThat(drain.configuration()).containsEntry("window", "fixed 0s")
					.containsEntry("closeConnections", true)
					.containsEntry("terminationGracePeriodMillis", 30_000L)
					.containsKey("budget");
			});
	}

	@Test
	void theWriteOperationStartsOneDrain() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=gracefulshutdown",
					"graceful-shutdown.delay=0s")
			.run((context) -> {
				GracefulShutdownEndpoint endpoint = context.getBean(GracefulShutdownEndpoint.class);
				DrainDescriptor first = endpoint.startDrain();
				DrainDescriptor second = endpoint.startDrain();
				assertThat(first.state()).isEqualTo("DRAINING");
				assertThat(first.trigger()).isEqualTo("ENDPOINT");
				assertThat(second.startedAt()).isEqualTo(first.startedAt());
				assertThat(context.getBean(DrainCoordinator.class).state()).isEqualTo(DrainState.DRAINING);
			});
	}

	@Test
	void theHealthIndicatorShowsTheDrainAndStaysUp() {
		this.runner.withPropertyValues("graceful-shutdown.delay=0s").run((context) -> {
			DrainHealthIndicator indicator = context.getBean(DrainHealthIndicator.class);
			assertThat(indicator.health().getDetails()).containsEntry("state", "SERVING");
			context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.APPLICATION);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(indicator.health().getDetails()).containsEntry("state", "DRAINING")
				.containsEntry("trigger", "APPLICATION");
		});
	}

	@Test
	void whenTheDrainHealthIndicatorIsDisabledThenItIsNotCreated() {
		this.runner.withPropertyValues("management.health.drain.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DrainHealthIndicator.class));
	}

	@Test
	void whenActuatorIsAbsentThenTheEndpointsBackOff() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=gracefulshutdown")
			.run((context) -> assertThat(context).doesNotHaveBean(GracefulShutdownEndpoint.class));
	}

}
