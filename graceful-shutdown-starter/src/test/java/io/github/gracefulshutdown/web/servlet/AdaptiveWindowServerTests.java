package io.github.gracefulshutdown.web.servlet;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.PhaseTiming;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.test.PooledTraffic;
import io.github.gracefulshutdown.test.PooledTraffic.Exchange;
import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The adaptive propagation window with real traffic on real servers.
 */
class AdaptiveWindowServerTests {

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(1);

	private final RunningServers servers = new RunningServers();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenNoTrafficArrivesThenTheWindowEndsLongBeforeItsMaximum(TestServer server) {
		ConfigurableApplicationContext context = start(server, "20s");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);

		context.close();

		Duration window = windowLength(coordinator);
		assertThat(window).isGreaterThanOrEqualTo(QUIET_PERIOD).isLessThan(Duration.ofSeconds(10));
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void probesDoNotHoldTheWindowOpen(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "20s");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		CompletableFuture<Void> close;
		try (PooledTraffic probes = new PooledTraffic(RunningServers.port(context, "local.server.port"),
				"/actuator/health/readiness", 1, Duration.ofMillis(100))
			.start()) {
			close = TestThreads.runInBackground(context::close);
			await().until(coordinator::isDraining);
			await().atMost(Duration.ofSeconds(30)).until(coordinator.drain().orElseThrow()::isWindowEnded);
		}
		close.get(30, TimeUnit.SECONDS);

		assertThat(windowLength(coordinator)).isLessThan(Duration.ofSeconds(10));
		assertThat(activity.receivedWhileDraining()).isZero();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whileTrafficContinuesTheWindowWaitsThenEndsOnceItStops(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "20s");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		CompletableFuture<Void> close;
		try (PooledTraffic traffic = new PooledTraffic(RunningServers.port(context, "local.server.port"), "/hello", 1,
				Duration.ofMillis(50))
			.start()) {
			close = TestThreads.runInBackground(context::close);
			await().until(coordinator::isDraining);
			Drain drain = coordinator.drain().orElseThrow();
			await().until(() -> Duration.ofNanos(drain.elapsedNanos()).compareTo(Duration.ofSeconds(3)) >= 0);
			assertThat(drain.isWindowEnded()).isFalse();
			traffic.close();
			assertThat(traffic.exchanges()).allMatch(Exchange::succeeded);
		}
		close.get(30, TimeUnit.SECONDS);

		Drain drain = coordinator.drain().orElseThrow();
		Duration lastRequest = activity.lastRequestAfterDrainStart(drain).orElseThrow();
		assertThat(lastRequest).as("traffic went on for about 3s").isGreaterThan(Duration.ofMillis(2500));
		assertThat(windowLength(coordinator)).isGreaterThanOrEqualTo(lastRequest.plus(QUIET_PERIOD))
			.isLessThan(Duration.ofSeconds(20));
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenTrafficNeverStopsThenTheWindowEndsAtItsMaximum(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "2s");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		CompletableFuture<Void> close;
		try (PooledTraffic traffic = new PooledTraffic(RunningServers.port(context, "local.server.port"), "/hello", 1,
				Duration.ofMillis(50))
			.start()) {
			close = TestThreads.runInBackground(context::close);
			await().until(coordinator::isDraining);
			await().atMost(Duration.ofSeconds(30)).until(coordinator.drain().orElseThrow()::isWindowEnded);
		}
		close.get(30, TimeUnit.SECONDS);

		Duration window = windowLength(coordinator);
		Duration lastRequest = activity.lastRequestAfterDrainStart(coordinator.drain().orElseThrow()).orElseThrow();
		assertThat(window).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
		assertThat(lastRequest).as("last request before the window ended by its maximum")
			.isGreaterThan(window.minus(QUIET_PERIOD));
	}

	private ConfigurableApplicationContext start(TestServer server, String maxDelay) {
		return this.servers.start(server, null, "graceful-shutdown.adaptive.enabled=true",
				"graceful-shutdown.adaptive.min-delay=200ms",
				"graceful-shutdown.adaptive.quiet-period=" + QUIET_PERIOD.toMillis() + "ms",
				"graceful-shutdown.delay=" + maxDelay, "graceful-shutdown.termination-grace-period=60s");
	}

	private static Duration windowLength(DrainCoordinator coordinator) {
		Drain drain = coordinator.drain().orElseThrow();
		PhaseTiming window = drain.timing(DrainPhase.PROPAGATION_WINDOW);
		return Duration.between(window.startedAt(), window.endedAt());
	}

}
