package io.github.gracefulshutdown.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainState;
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
 * Meters, endpoints and the report of a drain, seen from outside through real servers.
 */
@ExtendWith(OutputCaptureExtension.class)
class ObservabilityServerTests {

	private static final String EXPOSE = "management.endpoints.web.exposure.include=health,prometheus,gracefulshutdown,prestop";

	private final RunningServers servers = new RunningServers();

	private final HttpClient client = HttpClient.newHttpClient();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aPrometheusScrapeDuringTheWindowShowsTheDrain(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window, EXPOSE);
		int port = RunningServers.port(context, "local.server.port");
		assertThat(scrape(port)).contains("graceful_shutdown_state{state=\"serving\"} 1.0")
			.contains("graceful_shutdown_drain_requests_total 0.0");
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(context.getBean(DrainCoordinator.class)::isDraining);
		for (int i = 0; i < 3; i++) {
			assertThat(HttpTestClient.get(port, "/hello")).isEqualTo(200);
		}

		String scrape = scrape(port);

		assertThat(scrape).contains("graceful_shutdown_state{state=\"draining\"} 1.0")
			.contains("graceful_shutdown_state{state=\"serving\"} 0.0")
			.contains("graceful_shutdown_phase{phase=\"propagation_window\"} 1.0");
		assertThat(value(scrape, "graceful_shutdown_drain_requests_total")).as("requests, scrapes left out")
			.isEqualTo(3);
		assertThat(value(scrape, "graceful_shutdown_propagation_lag_seconds")).isPositive();
		window.release();
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aPrometheusScrapeOfTheManagementPortDuringTheGracefulPhaseShowsRequestsInFlight(TestServer server)
			throws Exception {
		ConfigurableApplicationContext context = this.servers.start(server, null, EXPOSE, "management.server.port=0",
				"management.server.address=127.0.0.1");
		int port = RunningServers.port(context, "local.server.port");
		int managementPort = RunningServers.port(context, "local.management.port");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		TestController controller = context.getBean(TestController.class);
		CompletableFuture<HttpResponse<String>> inFlight = send(port, "/blocking", "GET");
		await().until(() -> controller.entered() == 1);
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(() -> coordinator.drain().map(Drain::currentPhase).orElse(null) == DrainPhase.IN_FLIGHT_DRAIN);

		String scrape = scrape(managementPort);

		assertThat(scrape).contains("graceful_shutdown_phase{phase=\"in_flight_drain\"} 1.0")
			.contains("graceful_shutdown_requests_active 1.0");
		assertThat(value(scrape, "graceful_shutdown_phase_duration_seconds{phase=\"propagation_window\"}"))
			.isGreaterThanOrEqualTo(0);
		controller.release();
		assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void theEndpointShowsTheDrainAndItsWriteOperationIsOffByDefault(TestServer server) throws Exception {
		ConfigurableApplicationContext context = this.servers.start(server, null, EXPOSE, "graceful-shutdown.delay=1s");
		int port = RunningServers.port(context, "local.server.port");

		HttpResponse<String> read = send(port, "/actuator/gracefulshutdown", "GET").get(10, TimeUnit.SECONDS);
		HttpResponse<String> write = send(port, "/actuator/gracefulshutdown", "POST").get(10, TimeUnit.SECONDS);

		assertThat(read.statusCode()).isEqualTo(200);
		assertThat(read.body()).contains("\"state\":\"SERVING\"")
			.contains("\"window\":\"at least 1s, extended until 2s without requests, at most 22s\"")
			.contains("\"terminationGracePeriodMillis\":30000")
			.doesNotContain("windowExtensionMillis");
		assertThat(write.statusCode()).isEqualTo(405);
		assertThat(context.getBean(DrainCoordinator.class).state()).isEqualTo(DrainState.SERVING);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenEnabledTheWriteOperationStartsExactlyOneDrain(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window, EXPOSE,
				"management.endpoint.gracefulshutdown.access=unrestricted");
		int port = RunningServers.port(context, "local.server.port");

		HttpResponse<String> first = trigger(port, "/actuator/gracefulshutdown", "POST").get(10, TimeUnit.SECONDS);
		HttpResponse<String> second = trigger(port, "/actuator/gracefulshutdown", "POST").get(10, TimeUnit.SECONDS);

		assertThat(first.statusCode()).isEqualTo(200);
		assertThat(first.body()).contains("\"state\":\"DRAINING\"")
			.contains("\"trigger\":\"ENDPOINT\"")
			.as("the window's extension, once the window has ended")
			.doesNotContain("windowExtensionMillis");
		assertThat(second.body()).contains("\"trigger\":\"ENDPOINT\"");
		assertThat(HttpTestClient.get(port, "/actuator/health/readiness")).isEqualTo(503);
		await().until(() -> window.awaits() == 1);
		window.release();
		await().until(context.getBean(DrainCoordinator.class).drain().orElseThrow()::isWindowEnded);
		HttpResponse<String> ended = send(port, "/actuator/gracefulshutdown", "GET").get(10, TimeUnit.SECONDS);
		assertThat(ended.body()).contains("\"windowEndReason\":\"FIXED\"").contains("\"windowExtensionMillis\":0");
		context.close();
		assertThat(window.awaits()).isOne();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void thePreStopEndpointIsOffByDefault(TestServer server) throws Exception {
		ConfigurableApplicationContext context = this.servers.start(server, null, EXPOSE);
		int port = RunningServers.port(context, "local.server.port");

		assertThat(HttpTestClient.get(port, "/actuator/prestop")).isEqualTo(404);
		assertThat(context.getBean(DrainCoordinator.class).state()).isEqualTo(DrainState.SERVING);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void thePreStopCallAnswersWhenTheWindowEndsAndTheCloseThatFollowsAddsNoSecondWindow(TestServer server)
			throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window, EXPOSE,
				"management.endpoint.prestop.access=read-only");
		int port = RunningServers.port(context, "local.server.port");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);

		CompletableFuture<HttpResponse<String>> preStop = trigger(port, "/actuator/prestop", "GET");
		await().until(() -> window.awaits() == 1);
		assertThat(HttpTestClient.get(port, "/actuator/health/readiness")).isEqualTo(503);
		assertThat(preStop).isNotDone();
		window.release();

		HttpResponse<String> response = preStop.get(30, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"trigger\":\"PRE_STOP_HOOK\"").contains("\"windowEnded\":true");
		context.close();
		assertThat(window.awaits()).isOne();
		assertThat(coordinator.state()).isEqualTo(DrainState.DRAINED);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void theReportLineAppearsOnceWithTheDrainsFigures(TestServer server, CapturedOutput output) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window);
		int port = RunningServers.port(context, "local.server.port");
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(context.getBean(DrainCoordinator.class)::isDraining);
		for (int i = 0; i < 5; i++) {
			assertThat(HttpTestClient.get(port, "/hello")).isEqualTo(200);
		}
		window.release();
		close.get(30, TimeUnit.SECONDS);

		assertThat(output.getOut().lines().filter((line) -> line.contains("Drain report: "))).singleElement()
			.asString()
			.contains("\"trigger\":\"CONTEXT_CLOSE\"")
			.contains("\"requestsReceivedWhileDraining\":5,")
			.contains("\"requestsInFlight\":0,")
			.contains("\"requestsCutOff\":0")
			.containsPattern("\"propagationWindowMillis\":\\d+,")
			.containsPattern("\"inFlightDrainMillis\":\\d+,")
			.containsPattern("\"propagationLagMillis\":\\d+,");
	}

	private String scrape(int port) throws Exception {
		HttpResponse<String> response = send(port, "/actuator/prometheus", "GET").get(10, TimeUnit.SECONDS);
		assertThat(response.statusCode()).isEqualTo(200);
		return response.body();
	}

	private static double value(String scrape, String series) {
		Matcher matcher = Pattern.compile("(?m)^" + Pattern.quote(series) + " (\\S+)$").matcher(scrape);
		assertThat(matcher.find()).as("series %s in%n%s", series, scrape).isTrue();
		return Double.parseDouble(matcher.group(1));
	}

	private CompletableFuture<HttpResponse<String>> send(int port, String path, String method) throws IOException {
		return this.client.sendAsync(request(port, path, method).build(), HttpResponse.BodyHandlers.ofString());
	}

	private CompletableFuture<HttpResponse<String>> trigger(int port, String path, String method) {
		return this.client.sendAsync(request(port, path, method).header("Graceful-Shutdown-Trigger", "drain").build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder request(int port, String path, String method) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.method(method, HttpRequest.BodyPublishers.noBody());
	}

}
