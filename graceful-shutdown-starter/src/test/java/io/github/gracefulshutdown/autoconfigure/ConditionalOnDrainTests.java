package io.github.gracefulshutdown.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.test.TestDefaults;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConditionalOnDrain}.
 */
class ConditionalOnDrainTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES);

	@Test
	void whenTheDrainIsSetUpThenItMatches() {
		this.runner
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, DrainIntegration.class))
			.run((context) -> assertThat(context).hasBean("drainIntegrationMarker"));
	}

	@Test
	void whenTheDrainIsDisabledThenItDoesNotMatch() {
		this.runner
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, DrainIntegration.class))
			.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("drainIntegrationMarker"));
	}

	@Test
	void whenTheDrainsAutoConfigurationIsLeftOutThenItDoesNotMatchEvenWithACoordinator() {
		this.runner.withConfiguration(AutoConfigurations.of(DrainIntegration.class))
			.withBean(DrainCoordinator.class,
					() -> new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of, Clock.systemUTC()))
			.run((context) -> assertThat(context).doesNotHaveBean("drainIntegrationMarker"));
	}

	@Test
	void whenTheApplicationReplacesTheCoordinatorThenItStillMatches() {
		this.runner
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, DrainIntegration.class))
			.withBean("ownCoordinator", DrainCoordinator.class,
					() -> new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of, Clock.systemUTC()))
			.run((context) -> {
				assertThat(context).hasSingleBean(DrainCoordinator.class);
				assertThat(context).hasBean("drainIntegrationMarker");
			});
	}

	@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
	@ConditionalOnDrain
	static class DrainIntegration {

		@Bean
		String drainIntegrationMarker() {
			return "marker";
		}

	}

}
