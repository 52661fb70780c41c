package io.github.gracefulshutdown.web.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.drain.PropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.test.HttpTestClient;
import io.github.gracefulshutdown.test.HttpTestClient.KeepAliveOutcome;
import io.github.gracefulshutdown.test.ReactiveTestApplication;
import io.github.gracefulshutdown.test.ReactiveTestServer;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestThreads;
import org.assertj.core.api.InstanceOfAssertFactories;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drains a WebFlux application on real Reactor Netty, Tomcat and Jetty servers, closed
 * the way SIGTERM closes it: from another thread.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveDrainServerTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void duringTheWindowReadinessIsDownWhileRequestsAreServedAndAskedToCloseTheirConnection(ReactiveTestServer server)
			throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(server, window);
		int port = port(context);
		RequestActivity activity = context.getBean(RequestActivity.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		assertThat(HttpTestClient.get(port, "/actuator/health/readiness")).isEqualTo(200);
		assertThat(HttpTestClient.getKeepingAlive(port, "/hello").connectionClose()).isFalse();

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		await().until(() -> HttpTestClient.get(port, "/actuator/health/readiness") == 503);
		KeepAliveOutcome outcome = HttpTestClient.getKeepingAlive(port, "/hello");
		assertThat(outcome.status()).isEqualTo(200);
		assertThat(outcome.connectionClose()).isTrue();
		assertThat(HttpTestClient.get(port, "/actuator/health/liveness")).isEqualTo(200);
		assertThat(activity.receivedWhileDraining()).isOne();
		assertThat(close).isNotDone();
		window.release();
		close.get(30, TimeUnit.SECONDS);
		assertThat(coordinator.state()).isEqualTo(DrainState.DRAINED);
	}

	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void aRequestInFlightWhenTheDrainStartsCompletes(ReactiveTestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(server, window);
		ReactiveTestApplication.TestController controller = context
			.getBean(ReactiveTestApplication.TestController.class);
		CompletableFuture<HttpResponse<String>> inFlight = this.client.sendAsync(request(port(context), "/blocking"),
				HttpResponse.BodyHandlers.ofString());
		await().until(() -> controller.entered() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		window.release();
		controller.release();

		assertThat(inFlight.get(30, TimeUnit.SECONDS).body()).isEqualTo("released");
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void aServerSentEventStreamKeepsFlowingThroughTheWindowThenEndsCleanlyWithoutHoldingTheClose(
			ReactiveTestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(server, window,
				"spring.lifecycle.timeout-per-shutdown-phase=20s");
		StreamingResponses streams = context.getBean(StreamingResponses.class);
		List<String> lines = new CopyOnWriteArrayList<>();
		HttpResponse<Stream<String>> response = this.client.send(eventStreamRequest(port(context), "/events"),
				HttpResponse.BodyHandlers.ofLines());
		CompletableFuture<Void> reading = TestThreads.runInBackground(() -> response.body().forEach(lines::add));
		await().until(() -> lines.contains("data:tick"));

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(() -> context.getBean(DrainCoordinator.class).isDraining());
		int duringWindow = lines.size();
		await().until(() -> lines.size() > duringWindow + 2);
		assertThat(reading).isNotDone();
		window.release();

		reading.get(10, TimeUnit.SECONDS);
		close.get(10, TimeUnit.SECONDS);
		assertThat(streams.getCompletedByDrain()).isOne();
		assertThat(streams.getOpen()).isZero();
	}

	/**
	 * Which streaming bodies the drain ends is decided by the exchange the filter passes
	 * on, alike on every server: Reactor Netty stands for them.
	 */
	@Test
	void anNdjsonDownloadKeepsFlowingAfterTheWindowUntilItIsComplete() throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(ReactiveTestServer.REACTOR_NETTY, window,
				"spring.lifecycle.timeout-per-shutdown-phase=20s");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		StreamingResponses streams = context.getBean(StreamingResponses.class);
		ReactiveTestApplication.TestController controller = context
			.getBean(ReactiveTestApplication.TestController.class);
		List<String> lines = new CopyOnWriteArrayList<>();
		HttpResponse<Stream<String>> response = this.client.send(request(port(context), "/lines"),
				HttpResponse.BodyHandlers.ofLines());
		CompletableFuture<Void> reading = TestThreads.runInBackground(() -> response.body().forEach(lines::add));
		await().until(() -> lines.size() >= 2);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(coordinator::isDraining);
		window.release();
		await().until(() -> coordinator.drain().map(Drain::currentPhase).orElse(null) == DrainPhase.IN_FLIGHT_DRAIN);
		int afterWindow = lines.size();
		await().until(() -> lines.size() >= afterWindow + 3);
		assertThat(reading).isNotDone();
		assertThat(close).isNotDone();
		controller.release();

		reading.get(10, TimeUnit.SECONDS);
		close.get(10, TimeUnit.SECONDS);
		assertThat(lines).last().isEqualTo("{\"end\":true}");
		assertThat(streams.getCompletedByDrain()).isZero();
	}

	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void aRequestThatNeverEndsIsNamedAtTheInFlightDeadline(ReactiveTestServer server, CapturedOutput output)
			throws Exception {
		ConfigurableApplicationContext context = start(server, null, "spring.lifecycle.timeout-per-shutdown-phase=1s");
		ReactiveTestApplication.TestController controller = context
			.getBean(ReactiveTestApplication.TestController.class);
		RequestActivity activity = context.getBean(RequestActivity.class);
		this.client.sendAsync(request(port(context), "/blocking"), HttpResponse.BodyHandlers.ofString());
		await().until(() -> controller.entered() == 1);

		context.close();

		assertThat(activity.cutOff()).isOne();
		assertThat(output).contains("1 request was still in flight at the in-flight deadline")
			.contains("GET /blocking");
		controller.release();
	}

	@Test
	void onReactorNettyTheSafetyMarginDoesNotBoundTheTimeTheServerHasToStart() {
		ConfigurableApplicationContext context = start(ReactiveTestServer.REACTOR_NETTY, null,
				"graceful-shutdown.safety-margin=1ns");

		assertThat(port(context)).isPositive();
	}

	/**
	 * Tomcat's and Jetty's reactive factories take the same customizers as their servlet
	 * ones: their stop is bounded by a quarter of the safety margin too.
	 */
	@ParameterizedTest
	@EnumSource(names = { "TOMCAT", "JETTY" })
	void onTomcatAndJettyTheWebServerStopIsBoundedByAQuarterOfTheSafetyMargin(ReactiveTestServer server) {
		ConfigurableApplicationContext context = start(server, null, "graceful-shutdown.safety-margin=4s");
		WebServer webServer = ((WebServerApplicationContext) context).getWebServer();
		if (webServer instanceof TomcatWebServer tomcat) {
			assertThat(tomcat.getTomcat().getConnector().getProperty("executorTerminationTimeoutMillis"))
				.hasToString("250");
		}
		else {
			assertThat(((JettyWebServer) webServer).getServer().getThreadPool())
				.asInstanceOf(InstanceOfAssertFactories.type(QueuedThreadPool.class))
				.extracting(QueuedThreadPool::getStopTimeout)
				.isEqualTo(1000L);
		}
	}

	@Test
	void requestsOnASeparateManagementPortAreNotTrafficOfTheDrain() throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(ReactiveTestServer.REACTOR_NETTY, window,
				"management.server.port=0", "management.server.address=127.0.0.1");
		RequestActivity activity = context.getBean(RequestActivity.class);
		int managementPort = context.getEnvironment().getRequiredProperty("local.management.port", Integer.class);
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(context.getBean(DrainCoordinator.class)::isDraining);

		HttpResponse<String> probe = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.build()
			.send(request(managementPort, "/actuator/health/readiness"), HttpResponse.BodyHandlers.ofString());

		assertThat(probe.statusCode()).isEqualTo(503);
		assertThat(activity.receivedWhileDraining()).as("a probe on the management port extends no window").isZero();
		assertThat(probe.headers().firstValue("Connection")).isEmpty();
		window.release();
		close.get(30, TimeUnit.SECONDS);
	}

	private ConfigurableApplicationContext start(ReactiveTestServer server, PropagationWindow window,
			String... properties) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(ReactiveTestApplication.class)
			.properties(TestDefaults.PROPERTIES)
			.properties(server.properties())
			.properties("server.port=0", "server.address=127.0.0.1", "management.endpoint.health.probes.enabled=true",
					"management.endpoints.web.exposure.include=health",
					"graceful-shutdown.termination-grace-period=60s")
			.properties(properties);
		if (window != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("testWindow", window));
		}
		ConfigurableApplicationContext context = builder.run();
		this.contexts.add(context);
		assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(server.webServerType());
		return context;
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
	}

	/**
	 * A request that asks for a server-sent event stream, as {@code EventSource} does.
	 */
	private static HttpRequest eventStreamRequest(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", "text/event-stream")
			.timeout(Duration.ofSeconds(30))
			.build();
	}

}
