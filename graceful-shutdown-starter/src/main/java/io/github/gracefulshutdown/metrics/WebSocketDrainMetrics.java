package io.github.gracefulshutdown.metrics;

import java.util.function.ToDoubleFunction;

import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters for the WebSocket sessions the drain tracks and closes.
 */
public class WebSocketDrainMetrics implements MeterBinder {

	private final WebSocketDrainStats stats;

	/**
	 * Creates the meters' source.
	 * @param stats the WebSocket drain's counts
	 */
	public WebSocketDrainMetrics(WebSocketDrainStats stats) {
		this.stats = stats;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("graceful.shutdown.websocket.sessions.active", this.stats, WebSocketDrainStats::getOpenSessions)
			.description("WebSocket sessions open")
			.register(registry);
		closed(registry, "closed_cleanly", WebSocketDrainStats::getClosedCleanly);
		closed(registry, "force_closed", WebSocketDrainStats::getForceClosed);
		closed(registry, "already_gone", WebSocketDrainStats::getAlreadyGone);
		closed(registry, "failed", WebSocketDrainStats::getFailed);
		FunctionCounter
			.builder("graceful.shutdown.websocket.handshakes.rejected", this.stats,
					WebSocketDrainStats::getRejectedHandshakes)
			.description("WebSocket handshakes answered with 503 while the sessions were being closed")
			.register(registry);
	}

	private void closed(MeterRegistry registry, String outcome, ToDoubleFunction<WebSocketDrainStats> count) {
		FunctionCounter.builder("graceful.shutdown.websocket.sessions.closed", this.stats, count)
			.tag("outcome", outcome)
			.description("WebSocket sessions closed by the drain, by outcome")
			.register(registry);
	}

}
