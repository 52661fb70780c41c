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

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.drain.PropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.test.HttpTestClient;
import io.github.gracefulshutdown.test.HttpTestClient.KeepAliveOutcome;
import io.github.gracefulshutdown.test.ReactiveTestApplication;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drains a WebFlux application on a real Reactor Netty server, closed the way SIGTERM
 * closes it: from another thread.
 */
@ExtendWith(OutputCaptureExtension.class)
class ReactiveDrainServerTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void duringTheWindowReadinessIsDownWhileRequestsAreServedAndAskedToCloseTheirConnection() throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(window);
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

	@Test
	void aRequestInFlightWhenTheDrainStartsCompletes() throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(window);
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

	@Test
	void aServerSentEventStreamKeepsFlowingThroughTheWindowThenEndsCleanlyWithoutHoldingTheClose() throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(window, "spring.lifecycle.timeout-per-shutdown-phase=20s");
		StreamingResponses streams = context.getBean(StreamingResponses.class);
		List<String> lines = new CopyOnWriteArrayList<>();
		HttpResponse<Stream<String>> response = this.client.send(request(port(context), "/events"),
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

	@Test
	void aRequestThatNeverEndsIsNamedAtTheInFlightDeadline(CapturedOutput output) throws Exception {
		ConfigurableApplicationContext context = start(null, "spring.lifecycle.timeout-per-shutdown-phase=1s");
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

	private ConfigurableApplicationContext start(PropagationWindow window, String... properties) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(ReactiveTestApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties(TestDefaults.PROPERTIES)
			.properties("server.port=0", "server.address=127.0.0.1", ReactiveTestApplication.NETTY_SELECTION,
					"management.endpoint.health.probes.enabled=true",
					"management.endpoints.web.exposure.include=health",
					"graceful-shutdown.termination-grace-period=60s")
			.properties(properties);
		if (window != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("testWindow", window));
		}
		ConfigurableApplicationContext context = builder.run();
		this.contexts.add(context);
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

}
