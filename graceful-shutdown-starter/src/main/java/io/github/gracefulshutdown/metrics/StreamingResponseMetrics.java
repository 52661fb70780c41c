package io.github.gracefulshutdown.metrics;

import io.github.gracefulshutdown.web.StreamingResponseStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters for the server-sent event streams the drain completes.
 */
public class StreamingResponseMetrics implements MeterBinder {

	private final StreamingResponseStats streams;

	/**
	 * Creates the meters' source.
	 * @param streams the streaming responses in flight
	 */
	public StreamingResponseMetrics(StreamingResponseStats streams) {
		this.streams = streams;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("graceful.shutdown.streams.active", this.streams, StreamingResponseStats::getOpen)
			.description("Server-sent event streams in flight")
			.register(registry);
		FunctionCounter
			.builder("graceful.shutdown.streams.completed", this.streams, StreamingResponseStats::getCompletedByDrain)
			.description("Server-sent event streams the drain completed")
			.register(registry);
	}

}
