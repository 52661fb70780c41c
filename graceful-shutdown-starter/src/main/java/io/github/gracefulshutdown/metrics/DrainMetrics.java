package io.github.gracefulshutdown.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.drain.PhaseTiming;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters for the drain, registered at startup and read from the drain's live state, so
 * that they read zero before a drain and current values during one.
 */
public class DrainMetrics implements MeterBinder {

	private final DrainCoordinator coordinator;

	private final RequestActivity activity;

	/**
	 * Creates the meters' source.
	 * @param coordinator the application's drain
	 * @param activity the requests the application receives
	 */
	public DrainMetrics(DrainCoordinator coordinator, RequestActivity activity) {
		this.coordinator = coordinator;
		this.activity = activity;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		for (DrainState state : DrainState.values()) {
			Gauge
				.builder("graceful.shutdown.state", this.coordinator,
						(coordinator) -> (coordinator.state() == state) ? 1 : 0)
				.tag("state", tag(state.name()))
				.description("Whether the application is in this drain state (1) or not (0)")
				.register(registry);
		}
		for (DrainPhase phase : DrainPhase.values()) {
			Gauge.builder("graceful.shutdown.phase", this, (metrics) -> metrics.isRunning(phase) ? 1 : 0)
				.tag("phase", tag(phase.name()))
				.description("Whether this drain phase runs now (1) or not (0)")
				.register(registry);
			TimeGauge
				.builder("graceful.shutdown.phase.duration", this, TimeUnit.NANOSECONDS,
						(metrics) -> metrics.durationOf(phase))
				.tag("phase", tag(phase.name()))
				.description("Time spent in this drain phase so far")
				.register(registry);
		}
		Gauge.builder("graceful.shutdown.requests.active", this.activity, RequestActivity::inFlight)
			.description("Requests in flight")
			.register(registry);
		FunctionCounter
			.builder("graceful.shutdown.drain.requests", this.activity, RequestActivity::receivedWhileDraining)
			.description("Requests received after the drain started")
			.register(registry);
		TimeGauge.builder("graceful.shutdown.propagation.lag", this, TimeUnit.NANOSECONDS, DrainMetrics::propagationLag)
			.description("Time from the start of the drain to the last request received: how long endpoint removal "
					+ "took to reach every router")
			.register(registry);
		TimeGauge
			.builder("graceful.shutdown.propagation.window.limit", this.coordinator, TimeUnit.NANOSECONDS,
					(coordinator) -> coordinator.window().maxLength().toNanos())
			.description("Longest the propagation window may last: the fixed delay, or the adaptive window's "
					+ "maximum; what the propagation lag is compared with")
			.register(registry);
		FunctionCounter.builder("graceful.shutdown.requests.cut.off", this.activity, RequestActivity::cutOff)
			.description("Requests still in flight when the in-flight drain reached its deadline")
			.register(registry);
	}

	private boolean isRunning(DrainPhase phase) {
		return this.coordinator.drain().map(Drain::currentPhase).orElse(null) == phase;
	}

	private double durationOf(DrainPhase phase) {
		return this.coordinator.drain().map((drain) -> {
			PhaseTiming timing = drain.timing(phase);
			return (timing != null) ? timing.duration(drain.now()).toNanos() : 0L;
		}).orElse(0L);
	}

	private double propagationLag() {
		return this.coordinator.drain()
			.flatMap(this.activity::lastRequestAfterDrainStart)
			.map(Duration::toNanos)
			.orElse(0L);
	}

	private static String tag(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

}
