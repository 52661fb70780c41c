package io.github.gracefulshutdown.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.EndpointAwarePropagationWindow;
import io.github.gracefulshutdown.drain.EndpointRemovalWatch;
import io.github.gracefulshutdown.drain.ExtendingPropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.drain.WindowEndReason;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DrainMetrics}.
 */
class DrainMetricsTests {

	private final ReleasableWindow window = new ReleasableWindow();

	private final DrainCoordinator coordinator = new DrainCoordinator(this.window, List::of, Clock.systemUTC());

	private final RequestActivity activity = new RequestActivity();

	private final MeterRegistry registry = new SimpleMeterRegistry();

	@Test
	void metersArePresentFromStartupAndReadZero() {
		new DrainMetrics(this.coordinator, this.activity).bindTo(this.registry);

		assertThat(gauge("graceful.shutdown.state", "state", "serving")).isOne();
		assertThat(gauge("graceful.shutdown.state", "state", "draining")).isZero();
		assertThat(gauge("graceful.shutdown.phase", "phase", "propagation_window")).isZero();
		assertThat(this.registry.get("graceful.shutdown.phase.duration")
			.tag("phase", "in_flight_drain")
			.timeGauge()
			.value(TimeUnit.SECONDS)).isZero();
		assertThat(this.registry.get("graceful.shutdown.requests.active").gauge().value()).isZero();
		assertThat(this.registry.get("graceful.shutdown.drain.requests").functionCounter().count()).isZero();
		assertThat(this.registry.get("graceful.shutdown.propagation.lag").timeGauge().value(TimeUnit.SECONDS)).isZero();
		assertThat(this.registry.get("graceful.shutdown.requests.cut.off").functionCounter().count()).isZero();
		assertThat(this.registry.get("graceful.shutdown.window.extension").timeGauge().value(TimeUnit.SECONDS))
			.isZero();
		assertThat(this.registry.get("graceful.shutdown.window.end").gauges()).hasSize(WindowEndReason.values().length)
			.allMatch((gauge) -> gauge.value() == 0);
	}

	@Test
	void whenTheWindowIsExtendedThenTheMetersSayHowFarAndWhyItEnded() {
		ExtendingPropagationWindow extending = new ExtendingPropagationWindow(Duration.ofMillis(100),
				Duration.ofMillis(300), Duration.ofSeconds(10), this.activity);
		DrainCoordinator coordinator = new DrainCoordinator(extending, List::of, Clock.systemUTC());
		new DrainMetrics(coordinator, this.activity).bindTo(this.registry);

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		this.activity.requestReceived(true);
		await().until(drain::isWindowEnded);

		assertThat(this.registry.get("graceful.shutdown.window.extension").timeGauge().value(TimeUnit.MILLISECONDS))
			.isGreaterThanOrEqualTo(200);
		assertThat(gauge("graceful.shutdown.window.end", "reason", "quiet")).isOne();
		assertThat(gauge("graceful.shutdown.window.end", "reason", "ceiling")).isZero();
	}

	@Test
	void whenTheWindowWatchesTheEndpointThenAMeterSaysWhenItsRemovalWasPublished() {
		CompletableFuture<Long> removal = new CompletableFuture<>();
		EndpointAwarePropagationWindow endpointAware = new EndpointAwarePropagationWindow(Duration.ofSeconds(10),
				Duration.ofMillis(100), Duration.ofSeconds(20), this.activity, new EndpointRemovalWatch() {

					@Override
					public CompletableFuture<Long> start() {
						return removal;
					}

					@Override
					public Duration tail() {
						return Duration.ZERO;
					}

				});
		DrainCoordinator coordinator = new DrainCoordinator(endpointAware, List::of, Clock.systemUTC());
		new DrainMetrics(coordinator, this.activity).bindTo(this.registry);
		assertThat(this.registry.get("graceful.shutdown.endpoint.removal").timeGauge().value(TimeUnit.SECONDS)).isNaN();

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		removal.complete(System.nanoTime());
		await().until(drain::isWindowEnded);

		assertThat(this.registry.get("graceful.shutdown.endpoint.removal").timeGauge().value(TimeUnit.NANOSECONDS))
			.isCloseTo(drain.endpointRemoval().toNanos(), within(1.0));
		assertThat(gauge("graceful.shutdown.window.end", "reason", "endpoint_removed")).isOne();
	}

	@Test
	void whenTheWindowDoesNotWatchTheEndpointThenThereIsNoRemovalMeter() {
		new DrainMetrics(this.coordinator, this.activity).bindTo(this.registry);

		assertThat(this.registry.find("graceful.shutdown.endpoint.removal").meter()).isNull();
	}

	@Test
	void windowLimitIsTheLongestTheWindowMayLastFromStartup() {
		new DrainMetrics(this.coordinator, this.activity).bindTo(this.registry);

		assertThat(
				this.registry.get("graceful.shutdown.propagation.window.limit").timeGauge().value(TimeUnit.NANOSECONDS))
			.isEqualTo(this.window.maxLength().toNanos());
	}

	@Test
	void metersFollowTheDrain() {
		new DrainMetrics(this.coordinator, this.activity).bindTo(this.registry);
		this.activity.requestReceived(false);

		this.coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		this.activity.requestReceived(true);
		this.activity.requestReceived(true);
		this.activity.requestCompleted();

		assertThat(gauge("graceful.shutdown.state", "state", "serving")).isZero();
		assertThat(gauge("graceful.shutdown.state", "state", "draining")).isOne();
		assertThat(gauge("graceful.shutdown.phase", "phase", "propagation_window")).isOne();
		assertThat(this.registry.get("graceful.shutdown.requests.active").gauge().value()).isEqualTo(2);
		assertThat(this.registry.get("graceful.shutdown.drain.requests").functionCounter().count()).isEqualTo(2);

		this.window.release();
		await().until(() -> this.coordinator.drain().orElseThrow().isWindowEnded());
		this.coordinator.beginPhase(DrainPhase.IN_FLIGHT_DRAIN);
		this.activity.requestsCutOff(1);
		assertThat(gauge("graceful.shutdown.phase", "phase", "propagation_window")).isZero();
		assertThat(gauge("graceful.shutdown.phase", "phase", "in_flight_drain")).isOne();
		assertThat(this.registry.get("graceful.shutdown.phase.duration")
			.tag("phase", "propagation_window")
			.timeGauge()
			.value(TimeUnit.NANOSECONDS)).isPositive();
		assertThat(this.registry.get("graceful.shutdown.requests.cut.off").functionCounter().count()).isOne();

		this.coordinator.completeDrain();
		assertThat(gauge("graceful.shutdown.state", "state", "drained")).isOne();
		assertThat(gauge("graceful.shutdown.phase", "phase", "in_flight_drain")).isZero();
	}

	private double gauge(String name, String tag, String value) {
		return this.registry.get(name).tag(tag, value).gauge().value();
	}

}
