package io.github.gracefulshutdown.web.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.PhaseTiming;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.drain.WindowEndReason;
import io.github.gracefulshutdown.test.PooledTraffic;
import io.github.gracefulshutdown.test.PooledTraffic.Exchange;
import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The default propagation window, which extends while requests arrive, with real traffic
 * on real servers.
 */
class ExtendingWindowServerTests {

	private static final Duration FLOOR = Duration.ofSeconds(1);

	private static final Duration QUIET_PERIOD = Duration.ofSeconds(1);

	private final RunningServers servers = new RunningServers();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenNoTrafficArrivesThenTheWindowEndsAtItsFloor(TestServer server) {
		ConfigurableApplicationContext context = start(server);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);

		context.close();

		Drain drain = coordinator.drain().orElseThrow();
		assertThat(windowLength(drain)).isGreaterThanOrEqualTo(FLOOR).isLessThan(Duration.ofSeconds(3));
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FLOOR);
		assertThat(drain.windowExtension()).isZero();
	}

	@Test
	void probesOnTheMainPortAndRequestsOnTheManagementPortDoNotHoldTheWindowOpen() throws Exception {
		ConfigurableApplicationContext context = start(TestServer.TOMCAT, "management.server.port=0",
				"management.server.address=127.0.0.1", "management.endpoint.health.probes.add-additional-paths=true");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		int port = RunningServers.port(context, "local.server.port");
		int managementPort = RunningServers.port(context, "local.management.port");
		CompletableFuture<Void> close;
		try (PooledTraffic probes = new PooledTraffic(port, "/readyz", 1, Duration.ofMillis(100)).start();
				PooledTraffic management = new PooledTraffic(managementPort, "/actuator/health", 1,
						Duration.ofMillis(100))
					.start()) {
			close = TestThreads.runInBackground(context::close);
			await().until(coordinator::isDraining);
			await().atMost(Duration.ofSeconds(30)).until(coordinator.drain().orElseThrow()::isWindowEnded);
		}
		close.get(30, TimeUnit.SECONDS);

		Drain drain = coordinator.drain().orElseThrow();
		assertThat(windowLength(drain)).isLessThan(Duration.ofSeconds(3));
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FLOOR);
		assertThat(activity.receivedWhileDraining()).isZero();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whileTrafficContinuesPastTheFloorTheWindowWaitsThenEndsAQuietPeriodAfterItStops(TestServer server)
			throws Exception {
		ConfigurableApplicationContext context = start(server);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		CompletableFuture<Void> close;
		try (PooledTraffic traffic = new PooledTraffic(RunningServers.port(context, "local.server.port"), "/hello", 1,
				Duration.ofMillis(50))
			.start()) {
			close = TestThreads.runInBackground(context::close);
			await().until(coordinator::isDraining);
			Drain drain = coordinator.drain().orElseThrow();
			await().until(() -> Duration.ofNanos(drain.elapsedNanos()).compareTo(FLOOR.multipliedBy(2)) >= 0);
			assertThat(drain.isWindowEnded()).as("window still open twice its floor").isFalse();
			traffic.close();
			assertThat(traffic.exchanges()).allMatch(Exchange::succeeded);
		}
		close.get(30, TimeUnit.SECONDS);

		Drain drain = coordinator.drain().orElseThrow();
		Duration lastRequest = activity.lastRequestAfterDrainStart(drain).orElseThrow();
		assertThat(lastRequest).as("traffic went on for about 2s").isGreaterThan(Duration.ofMillis(1500));
		assertThat(windowLength(drain)).isGreaterThanOrEqualTo(lastRequest.plus(QUIET_PERIOD))
			.isLessThan(Duration.ofSeconds(10));
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.QUIET);
		assertThat(drain.windowExtension()).isGreaterThanOrEqualTo(lastRequest.plus(QUIET_PERIOD).minus(FLOOR));
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenTrafficNeverStopsThenTheWindowEndsAtItsCeiling(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.window.max=2s");
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

		Drain drain = coordinator.drain().orElseThrow();
		Duration window = windowLength(drain);
		Duration lastRequest = activity.lastRequestAfterDrainStart(drain).orElseThrow();
		assertThat(window).isGreaterThanOrEqualTo(Duration.ofSeconds(2)).isLessThan(Duration.ofSeconds(4));
		assertThat(lastRequest).as("last request before the window ended by its ceiling")
			.isGreaterThan(window.minus(QUIET_PERIOD));
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.CEILING);
		assertThat(drain.windowExtension()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
	}

	@Test
	void afterAnExtendedWindowTheInFlightDrainGetsWhatIsLeftOfTheDeadline() throws Exception {
		ConfigurableApplicationContext context = start(TestServer.TOMCAT);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		DefaultLifecycleProcessor lifecycleProcessor = context.getBean(DefaultLifecycleProcessor.class);
		assertThat(lifecycleProcessor).extracting("timeoutPerShutdownPhase")
			.as("the reserve the budget keeps for the in-flight drain")
			.isEqualTo(5_000L);
		CompletableFuture<Void> close;
		try (PooledTraffic traffic = new PooledTraffic(RunningServers.port(context, "local.server.port"), "/hello", 1,
				Duration.ofMillis(50))
			.start()) {
			close = TestThreads.runInBackground(context::close);
			await().until(coordinator::isDraining);
			Drain drain = coordinator.drain().orElseThrow();
			await().until(() -> Duration.ofNanos(drain.elapsedNanos()).compareTo(Duration.ofMillis(1500)) >= 0);
		}
		close.get(30, TimeUnit.SECONDS);

		Drain drain = coordinator.drain().orElseThrow();
		long left = Duration.ofSeconds(28).minus(windowLength(drain)).toMillis();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.QUIET);
		assertThat(lifecycleProcessor).extracting("timeoutPerShutdownPhase", InstanceOfAssertFactories.LONG)
			.as("what the 28s deadline leaves once the window has ended")
			.isBetween(left - 2_000, left);
	}

	private ConfigurableApplicationContext start(TestServer server, String... properties) {
		List<String> window = new ArrayList<>(List.of("graceful-shutdown.delay=" + FLOOR.toMillis() + "ms",
				"graceful-shutdown.window.quiet-period=" + QUIET_PERIOD.toMillis() + "ms"));
		window.addAll(List.of(properties));
		return this.servers.start(server, null, window.toArray(String[]::new));
	}

	private static Duration windowLength(Drain drain) {
		PhaseTiming window = drain.timing(DrainPhase.PROPAGATION_WINDOW);
		return Duration.between(window.startedAt(), window.endedAt());
	}

}
