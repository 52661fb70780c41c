package io.github.gracefulshutdown.web.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.test.DrainTestApplication.TestController;
import io.github.gracefulshutdown.test.HttpTestClient;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * How {@link DrainRequestFilter} counts requests on real servers.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainRequestFilterServerTests {

	private final RunningServers servers = new RunningServers();

	private final HttpClient client = HttpClient.newHttpClient();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void asyncAndErrorDispatchesAreCountedOnce(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window);
		int port = RunningServers.port(context, "local.server.port");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		TestController controller = context.getBean(TestController.class);
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(coordinator::isDraining);

		CompletableFuture<HttpResponse<String>> deferred = send(port, "/deferred");
		await().until(() -> activity.inFlight() == 1);
		assertThat(HttpTestClient.get(port, "/callable")).isEqualTo(200);
		assertThat(HttpTestClient.get(port, "/fail")).isEqualTo(500);
		assertThat(activity.inFlight()).isOne();
		controller.completeDeferred();
		assertThat(deferred.get(10, TimeUnit.SECONDS).body()).isEqualTo("deferred");

		await().until(() -> activity.inFlight() == 0);
		assertThat(activity.receivedWhileDraining()).isEqualTo(3);
		window.release();
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenTheActuatorIsAtTheRootOfASeparateManagementPortThenOnlyTheAdditionalHealthPathsAreProbesOnTheMainPort(
			TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window, "spring.main.cloud-platform=none",
				"management.server.port=0", "management.server.address=127.0.0.1",
				"management.endpoints.web.base-path=/", "management.endpoint.health.probes.add-additional-paths=true");
		int port = RunningServers.port(context, "local.server.port");
		int managementPort = RunningServers.port(context, "local.management.port");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(coordinator::isDraining);

		assertThat(HttpTestClient.get(managementPort, "/health/readiness")).isEqualTo(503);
		assertThat(HttpTestClient.get(port, "/livez")).isEqualTo(200);
		assertThat(HttpTestClient.get(port, "/readyz")).isEqualTo(503);
		assertThat(HttpTestClient.get(port, "/hello")).isEqualTo(200);
		assertThat(HttpTestClient.get(port, "/health")).isEqualTo(404);

		assertThat(activity.receivedWhileDraining()).isEqualTo(2);
		assertThat(activity.lastRequestAfterDrainStart(coordinator.drain().orElseThrow())).isPresent();
		window.release();
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenTheActuatorIsAtTheRootOfTheMainPortThenOnlyTheExposedEndpointsAndAdditionalHealthPathsAreProbes(
			TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window, "spring.main.cloud-platform=none",
				"management.endpoints.web.base-path=/", "management.endpoints.web.exposure.include=health,prometheus",
				"management.endpoint.health.probes.add-additional-paths=true");
		int port = RunningServers.port(context, "local.server.port");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(coordinator::isDraining);

		assertThat(HttpTestClient.get(port, "/health/readiness")).isEqualTo(503);
		assertThat(HttpTestClient.get(port, "/health/liveness")).isEqualTo(200);
		assertThat(HttpTestClient.get(port, "/livez")).isEqualTo(200);
		assertThat(HttpTestClient.get(port, "/prometheus")).isEqualTo(200);
		assertThat(HttpTestClient.get(port, "/hello")).isEqualTo(200);
		assertThat(HttpTestClient.get(port, "/metrics")).isEqualTo(404);

		assertThat(activity.receivedWhileDraining()).isEqualTo(2);
		assertThat(activity.lastRequestAfterDrainStart(coordinator.drain().orElseThrow())).isPresent();
		window.release();
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aRequestThatNeverFinishesDoesNotKeepTheApplicationPastTheGracePeriodAndIsReported(TestServer server,
			CapturedOutput output) throws Exception {
		Duration gracePeriod = Duration.ofSeconds(10);
		ConfigurableApplicationContext context = this.servers.start(server, null,
				"spring.lifecycle.timeout-per-shutdown-phase=1s",
				"graceful-shutdown.termination-grace-period=" + gracePeriod.toSeconds() + "s");
		int port = RunningServers.port(context, "local.server.port");
		TestController controller = context.getBean(TestController.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		send(port, "/stuck?client=test");
		await().until(() -> controller.entered() == 1);
		long start = System.nanoTime();

		context.close();

		Duration closing = Duration.ofNanos(System.nanoTime() - start);
		controller.release();
		assertThat(closing).isLessThan(gracePeriod);
		assertThat(activity.cutOff()).isOne();
		assertThat(output).contains("1 request was still in flight at the in-flight deadline")
			.contains("GET /stuck (running for")
			.doesNotContain("client=test");
	}

	private CompletableFuture<HttpResponse<String>> send(int port, String path) {
		return this.client.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
