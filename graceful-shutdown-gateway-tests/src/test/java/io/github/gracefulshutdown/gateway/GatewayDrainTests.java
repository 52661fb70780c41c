package io.github.gracefulshutdown.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drains a real Spring Cloud Gateway with one route to a real backend, closed the way
 * SIGTERM closes it (from another thread) while a client keeps sending requests through
 * it.
 */
class GatewayDrainTests {

	private static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(20);

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private Backend backend;

	private ConfigurableApplicationContext gateway;

	@BeforeEach
	void startBackend() throws Exception {
		this.backend = Backend.start();
	}

	@AfterEach
	void stop() {
		if (this.gateway != null) {
			this.gateway.close();
		}
		this.backend.close();
	}

	@Test
	void whenTheGatewayClosesThenEveryRequestOfTheWindowIsRoutedAndAskedToCloseItsConnection() throws Exception {
		HeldWindow window = new HeldWindow();
		this.gateway = startGateway(window);
		int port = this.gateway.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		DrainCoordinator coordinator = this.gateway.getBean(DrainCoordinator.class);
		assertThat(status(port, "/actuator/health/readiness")).isEqualTo(200);
		HttpResponse<String> beforeDrain = send(port, "/backend/hello");
		assertThat(beforeDrain.body()).isEqualTo("hello");
		assertThat(asksToClose(beforeDrain)).isFalse();

		List<Outcome> outcomes = new CopyOnWriteArrayList<>();
		AtomicBoolean sending = new AtomicBoolean(true);
		CompletableFuture<Void> client = runOnThreadOfItsOwn("client", () -> {
			while (sending.get()) {
				boolean draining = coordinator.isDraining();
				outcomes.add(Outcome.of(draining, () -> send(port, "/backend/hello")));
			}
		});
		await().until(() -> outcomes.size() > 10);
		long closeStarted = System.nanoTime();
		CompletableFuture<Void> close = runOnThreadOfItsOwn("close", this.gateway::close);

		await().until(() -> status(port, "/actuator/health/readiness") == 503);
		int drainingAtReadinessDown = (int) outcomes.stream().filter(Outcome::draining).count();
		await().until(() -> outcomes.stream().filter(Outcome::draining).count() > drainingAtReadinessDown + 20);
		assertThat(close).isNotDone();
		sending.set(false);
		client.get(10, TimeUnit.SECONDS);
		window.release();
		close.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		Duration closeTook = Duration.ofNanos(System.nanoTime() - closeStarted);

		assertThat(outcomes).allSatisfy((outcome) -> assertThat(outcome.body()).isEqualTo("hello"));
		assertThat(outcomes).filteredOn(Outcome::draining)
			.hasSizeGreaterThan(20)
			.allSatisfy((outcome) -> assertThat(outcome.connectionClose()).isTrue());
		assertThat(coordinator.state()).isEqualTo(DrainState.DRAINED);
		assertThat(closeTook).isLessThan(IN_FLIGHT_TIMEOUT.dividedBy(3));
	}

	@Test
	void aRouteThatSetsAStatusOutsideHttpStatusAnswersWithIt() throws Exception {
		HeldWindow window = new HeldWindow();
		window.release();
		this.gateway = startGateway(window);
		int port = this.gateway.getEnvironment().getRequiredProperty("local.server.port", Integer.class);

		HttpResponse<String> response = send(port, "/status/hello");

		assertThat(response.statusCode()).isEqualTo(499);
		assertThat(response.body()).isEqualTo("hello");
	}

	@Test
	void whenTheGatewayClosesThenARoutedEventStreamEndsCleanlyWithoutHoldingTheClose() throws Exception {
		HeldWindow window = new HeldWindow();
		this.gateway = startGateway(window);
		int port = this.gateway.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		DrainCoordinator coordinator = this.gateway.getBean(DrainCoordinator.class);
		List<String> events = new CopyOnWriteArrayList<>();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/backend/events"))
			.header("Accept", "text/event-stream")
			.build();
		CompletableFuture<Void> stream = this.client.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
			.thenAccept((response) -> {
				try (Stream<String> lines = response.body()) {
					lines.filter((line) -> !line.isEmpty()).forEach(events::add);
				}
			});
		await().until(() -> events.size() >= 2);

		long closeStarted = System.nanoTime();
		CompletableFuture<Void> close = runOnThreadOfItsOwn("close", this.gateway::close);
		await().until(coordinator::isDraining);
		int duringWindow = events.size();
		await().until(() -> events.size() >= duringWindow + 3);
		assertThat(stream).isNotDone();
		window.release();

		stream.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		close.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(events).allSatisfy((event) -> assertThat(event).isEqualTo("data: tick"));
		assertThat(Duration.ofNanos(System.nanoTime() - closeStarted)).isLessThan(IN_FLIGHT_TIMEOUT.dividedBy(3));
	}

	private ConfigurableApplicationContext startGateway(HeldWindow window) {
		return new SpringApplicationBuilder(GatewayTestApplication.class).web(WebApplicationType.REACTIVE)
			// What TestDefaults.PROPERTIES sets for the starter's own tests
			.properties("spring.main.cloud-platform=none", "graceful-shutdown.drain-on-any-close=true")
			.properties("server.port=0", "server.address=127.0.0.1", "management.endpoint.health.probes.enabled=true",
					"management.endpoints.web.exposure.include=health",
					"graceful-shutdown.termination-grace-period=60s",
					"spring.lifecycle.timeout-per-shutdown-phase=" + IN_FLIGHT_TIMEOUT.toSeconds() + "s",
					"spring.cloud.gateway.server.webflux.routes[0].id=backend",
					"spring.cloud.gateway.server.webflux.routes[0].uri=" + this.backend.uri(),
					"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/backend/**",
					"spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1",
					"spring.cloud.gateway.server.webflux.routes[1].id=status",
					"spring.cloud.gateway.server.webflux.routes[1].uri=" + this.backend.uri(),
					"spring.cloud.gateway.server.webflux.routes[1].predicates[0]=Path=/status/**",
					"spring.cloud.gateway.server.webflux.routes[1].filters[0]=StripPrefix=1",
					"spring.cloud.gateway.server.webflux.routes[1].filters[1]=SetStatus=499")
			.initializers((context) -> context.getBeanFactory().registerSingleton("heldWindow", window))
			.run();
	}

	private int status(int port, String path) throws Exception {
		return send(port, path).statusCode();
	}

	private HttpResponse<String> send(int port, String path) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(10))
			.build();
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static boolean asksToClose(HttpResponse<?> response) {
		return response.headers().firstValue("Connection").filter("close"::equalsIgnoreCase).isPresent();
	}

	private static CompletableFuture<Void> runOnThreadOfItsOwn(String name, ThrowingRunnable task) {
		CompletableFuture<Void> done = new CompletableFuture<>();
		Thread thread = new Thread(() -> {
			try {
				task.run();
				done.complete(null);
			}
			catch (Throwable ex) {
				done.completeExceptionally(ex);
			}
		}, name);
		thread.start();
		return done;
	}

	@FunctionalInterface
	private interface ThrowingRunnable {

		void run() throws Exception;

	}

	@FunctionalInterface
	private interface Exchange {

		HttpResponse<String> send() throws Exception;

	}

	/**
	 * What one request through the gateway got: a failure shows as its exception's text
	 * in place of the body.
	 */
	private record Outcome(boolean draining, int status, String body, boolean connectionClose) {

		static Outcome of(boolean draining, Exchange exchange) {
			try {
				HttpResponse<String> response = exchange.send();
				return new Outcome(draining, response.statusCode(), response.body(), asksToClose(response));
			}
			catch (Exception ex) {
				return new Outcome(draining, 0, ex.toString(), false);
			}
		}

	}

}
