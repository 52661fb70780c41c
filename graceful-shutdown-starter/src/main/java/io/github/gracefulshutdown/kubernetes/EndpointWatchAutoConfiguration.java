package io.github.gracefulshutdown.kubernetes;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.drain.EndpointRemovalWatch;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnCloudPlatform;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the endpoint-aware propagation window on Kubernetes, when
 * {@code graceful-shutdown.window.endpoint-watch.enabled} is on: the window then ends a
 * tail after the EndpointSlices show this pod neither ready nor serving.
 */
@AutoConfiguration(before = GracefulShutdownAutoConfiguration.class)
@ConditionalOnCloudPlatform(CloudPlatform.KUBERNETES)
@ConditionalOnBooleanProperty(name = "graceful-shutdown.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = EndpointWatchProperties.PREFIX + ".enabled")
@EnableConfigurationProperties(EndpointWatchProperties.class)
public final class EndpointWatchAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	EndpointRemovalWatch endpointSliceWatch(EndpointWatchProperties properties, Environment environment,
			ApplicationContext context) {
		return EndpointSliceWatchFactory.create(properties, environment, context.getClassLoader());
	}

}
