package io.github.gracefulshutdown.actuate;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.drain.DrainCoordinator;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@link DrainHealthIndicator}.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@ConditionalOnClass({ HealthIndicator.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnDrain
@ConditionalOnEnabledHealthIndicator("drain")
public final class DrainHealthAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DrainHealthIndicator drainHealthIndicator(DrainCoordinator coordinator) {
		return new DrainHealthIndicator(coordinator);
	}

}
