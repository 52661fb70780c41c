package io.github.gracefulshutdown.metrics;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.task.TaskDrainStats;
import io.github.gracefulshutdown.web.StreamingResponseStats;
import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the drain's Micrometer meters.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@ConditionalOnClass({ MeterRegistry.class, MetricsAutoConfiguration.class })
@ConditionalOnDrain
public final class DrainMetricsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	DrainMetrics drainMetrics(DrainCoordinator coordinator, RequestActivity activity) {
		return new DrainMetrics(coordinator, activity);
	}

	@Bean
	DeferredMeterRegistryCloser deferredMeterRegistryCloser(ConfigurableApplicationContext context) {
		return new DeferredMeterRegistryCloser(context);
	}

	@Bean
	OptionalPartsMetrics optionalPartsMetrics(ObjectProvider<StreamingResponseStats> streams,
			ObjectProvider<WebSocketDrainStats> webSockets, ObjectProvider<TaskDrainStats> tasks) {
		return new OptionalPartsMetrics(streams, webSockets, tasks);
	}

}
