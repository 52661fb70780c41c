package io.github.gracefulshutdown.metrics;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.drain.EndpointAwarePropagationWindow;
import io.github.gracefulshutdown.drain.PhaseTiming;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.drain.WindowEndReason;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Meters for the drain, registered at startup and read from the drain's live state, so
 * that they read zero before a drain and current values during one. The meters hold what
 * they read strongly: a binder nobody else holds still reports.
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
				.strongReference(true)
				.description("Whether this drain phase runs now (1) or not (0)")
				.register(registry);
			TimeGauge
				.builder("graceful.shutdown.phase.duration", this, TimeUnit.NANOSECONDS,
						(metrics) -> metrics.durationOf(phase))
				.tag("phase", tag(phase.name()))
				.strongReference(true)
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
			.strongReference(true)
			.description("Time from the start of the drain to the last request received: how long endpoint removal "
					+ "took to reach every router")
			.register(registry);
		TimeGauge
			.builder("graceful.shutdown.propagation.window.limit", this.coordinator, TimeUnit.NANOSECONDS,
					(coordinator) -> coordinator.window().maxLength().toNanos())
			.description("Longest the propagation window may last: its ceiling, the delay of a fixed window; "
					+ "what the propagation lag is compared with")
			.register(registry);
		TimeGauge
			.builder("graceful.shutdown.window.extension", this.coordinator, TimeUnit.NANOSECONDS,
					DrainMetrics::windowExtension)
			.description("Time the propagation window lasted, or has lasted so far, past its floor because requests "
					+ "still arrived")
			.register(registry);
		for (WindowEndReason reason : WindowEndReason.values()) {
			Gauge
				.builder("graceful.shutdown.window.end", this.coordinator,
						(coordinator) -> (windowEndReason(coordinator) == reason) ? 1 : 0)
				.tag("reason", tag(reason.name()))
				.description("Whether the propagation window ended for this reason (1) or not (0)")
				.register(registry);
		}
		if (this.coordinator.window() instanceof EndpointAwarePropagationWindow) {
			TimeGauge
				.builder("graceful.shutdown.endpoint.removal", this.coordinator, TimeUnit.NANOSECONDS,
						DrainMetrics::endpointRemoval)
				.description("Time from the start of the drain to the platform publishing the removal of the "
						+ "endpoint, before any router applies it; NaN until it is published")
				.register(registry);
		}
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

	private static double windowExtension(DrainCoordinator coordinator) {
		return coordinator.drain().map((drain) -> {
			if (drain.windowEndReason() != null) {
				return drain.windowExtension().toNanos();
			}
			Duration floor = drain.windowFloor();
			if (floor == null && drain.isEndpointWatched()) {
				return 0L;
			}
			return Math.max(0,
					drain.elapsedNanos() - ((floor != null) ? floor : coordinator.window().minLength()).toNanos());
		}).orElse(0L);
	}

	private static double endpointRemoval(DrainCoordinator coordinator) {
		return coordinator.drain()
			.map(Drain::endpointRemoval)
			.map((removal) -> (double) removal.toNanos())
			.orElse(Double.NaN);
	}

	private static @Nullable WindowEndReason windowEndReason(DrainCoordinator coordinator) {
		return coordinator.drain().map(Drain::windowEndReason).orElse(null);
	}

	private static String tag(String name) {
		return name.toLowerCase(Locale.ROOT);
	}

}
