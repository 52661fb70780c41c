package io.github.gracefulshutdown.autoconfigure;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.PhaseTiming;
import io.github.gracefulshutdown.test.DrainTestApplication;
import io.github.gracefulshutdown.test.HttpTestClient;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Drains a real embedded server, closed the way SIGTERM closes it: from another thread.
 */
class ServerDrainTests {

	private final RunningServers servers = new RunningServers();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void duringTheWindowReadinessIsDownWhileNewConnectionsAreServed(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window);
		int port = RunningServers.port(context, "local.server.port");
		assertThat(HttpTestClient.get(port, "/actuator/health/readiness")).isEqualTo(200);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		await().untilAsserted(() -> assertThat(HttpTestClient.get(port, "/actuator/health/readiness")).isEqualTo(503));
		for (int i = 0; i < 5; i++) {
			assertThat(HttpTestClient.get(port, "/hello")).isEqualTo(200);
			assertThat(HttpTestClient.get(port, "/actuator/health/liveness")).isEqualTo(200);
			assertThat(HttpTestClient.get(port, "/actuator/metrics")).isEqualTo(200);
		}
		assertThat(close).isNotDone();
		assertThat(context.isActive()).isTrue();

		window.release();
		close.get(30, TimeUnit.SECONDS);
		assertThat(context.isActive()).isFalse();
		assertThatExceptionOfType(IOException.class).isThrownBy(() -> HttpTestClient.get(port, "/hello"));
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void onceTheDrainHasStartedReadinessStaysDownWhateverIsPublished(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window);
		int port = RunningServers.port(context, "local.server.port");
		context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.APPLICATION);
		assertThat(HttpTestClient.get(port, "/actuator/health/readiness")).isEqualTo(503);

		AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);

		assertThat(HttpTestClient.get(port, "/actuator/health/readiness")).isEqualTo(503);
		assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
			.isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		assertThat(HttpTestClient.get(port, "/actuator/health/liveness")).isEqualTo(200);
		assertThat(HttpTestClient.get(port, "/hello")).isEqualTo(200);
		window.release();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aRequestInFlightWhenTheDrainStartsCompletes(TestServer server) throws Exception {
		ConfigurableApplicationContext context = this.servers.start(server, null);
		int port = RunningServers.port(context, "local.server.port");
		DrainTestApplication.TestController controller = context.getBean(DrainTestApplication.TestController.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		CompletableFuture<HttpResponse<String>> inFlight = HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/blocking")).build(),
					HttpResponse.BodyHandlers.ofString());
		await().until(() -> controller.entered() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(() -> coordinator.drain().map(Drain::currentPhase).orElse(null) == DrainPhase.IN_FLIGHT_DRAIN);
		assertThat(inFlight).isNotDone();
		controller.release();

		HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("released");
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void theContextFinishesClosingOnlyAfterTheWindow(TestServer server) {
		ConfigurableApplicationContext context = this.servers.start(server, null, "graceful-shutdown.delay=1s");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		long start = System.nanoTime();

		context.close();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		Drain drain = coordinator.drain().orElseThrow();
		assertThat(drain.isCompleted()).isTrue();
		PhaseTiming window = drain.timing(DrainPhase.PROPAGATION_WINDOW);
		PhaseTiming inFlight = drain.timing(DrainPhase.IN_FLIGHT_DRAIN);
		assertThat(window.duration(drain.now())).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(inFlight.startedAt()).isAfterOrEqualTo(window.endedAt());
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aSeparateManagementPortAnswersProbesThroughoutTheWindow(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window, "management.server.port=0",
				"management.server.address=127.0.0.1");
		int port = RunningServers.port(context, "local.server.port");
		int managementPort = RunningServers.port(context, "local.management.port");
		assertThat(managementPort).isNotEqualTo(port);
		assertThat(HttpTestClient.get(managementPort, "/actuator/health/readiness")).isEqualTo(200);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		await().untilAsserted(
				() -> assertThat(HttpTestClient.get(managementPort, "/actuator/health/readiness")).isEqualTo(503));
		for (int i = 0; i < 5; i++) {
			assertThat(HttpTestClient.get(managementPort, "/actuator/health/readiness")).isEqualTo(503);
			assertThat(HttpTestClient.get(managementPort, "/actuator/health/liveness")).isEqualTo(200);
			assertThat(HttpTestClient.get(managementPort, "/actuator/metrics")).isEqualTo(200);
			assertThat(HttpTestClient.get(port, "/hello")).isEqualTo(200);
		}
		assertThat(close).isNotDone();

		window.release();
		close.get(30, TimeUnit.SECONDS);
	}

}
