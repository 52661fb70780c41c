package io.github.gracefulshutdown.metrics;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.task.TaskDrainAutoConfiguration;
import io.github.gracefulshutdown.task.TaskDrainStats;
import io.github.gracefulshutdown.web.StreamingResponseStats;
import io.github.gracefulshutdown.web.reactive.ReactiveDrainAutoConfiguration;
import io.github.gracefulshutdown.web.servlet.ServletDrainAutoConfiguration;
import io.github.gracefulshutdown.websocket.WebSocketDrainAutoConfiguration;
import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import io.github.gracefulshutdown.websocket.reactive.ReactiveWebSocketDrainAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the drain's Micrometer meters.
 */
@AutoConfiguration(after = { GracefulShutdownAutoConfiguration.class, ServletDrainAutoConfiguration.class,
		ReactiveDrainAutoConfiguration.class, WebSocketDrainAutoConfiguration.class,
		ReactiveWebSocketDrainAutoConfiguration.class, TaskDrainAutoConfiguration.class })
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
	@ConditionalOnBean(StreamingResponseStats.class)
	@ConditionalOnMissingBean
	StreamingResponseMetrics streamingResponseMetrics(StreamingResponseStats streams) {
		return new StreamingResponseMetrics(streams);
	}

	@Bean
	@ConditionalOnBean(WebSocketDrainStats.class)
	@ConditionalOnMissingBean
	WebSocketDrainMetrics webSocketDrainMetrics(WebSocketDrainStats stats) {
		return new WebSocketDrainMetrics(stats);
	}

	@Bean
	@ConditionalOnBean(TaskDrainStats.class)
	@ConditionalOnMissingBean
	TaskDrainMetrics taskDrainMetrics(TaskDrainStats stats) {
		return new TaskDrainMetrics(stats);
	}

}
