package io.github.gracefulshutdown.websocket.reactive;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.test.ConnectionDrainEndHold;
import io.github.gracefulshutdown.test.RawWebSocketClient;
import io.github.gracefulshutdown.test.ReactiveTestServer;
import io.github.gracefulshutdown.test.ReactiveWebSocketTestApplication;
import io.github.gracefulshutdown.test.ReactiveWebSocketTestApplication.StreamingHandler;
import io.github.gracefulshutdown.test.RecordingListener;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestThreads;
import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closes the WebSocket sessions of a WebFlux application on real Reactor Netty, Tomcat
 * and Jetty servers, with real clients on real sockets, when the application context is
 * closed the way SIGTERM closes it: from another thread.
 */
class ReactiveWebSocketDrainServerTests {

	private static final Duration SLACK = Duration.ofSeconds(5);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final HttpClient httpClient = HttpClient.newHttpClient();

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void theApplicationRunsOnTheSelectedServer(ReactiveTestServer server) {
		ConfigurableApplicationContext context = start(server);
		assertThat(((WebServerApplicationContext) context).getWebServer()).isInstanceOf(server.webServerType());
	}

	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void everyClientGetsTheCloseFrameAtADifferentMomentOfTheSpread(ReactiveTestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-spread=500ms",
				"graceful-shutdown.websocket.close-timeout=3s");
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		List<RecordingListener> clients = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			clients.add(connect(port(context), "/echo"));
		}
		await().until(() -> stats.getOpenSessions() == 50);

		long closeStart = System.nanoTime();
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		for (RecordingListener client : clients) {
			assertThat(client.closeCode().get(30, TimeUnit.SECONDS)).isEqualTo(1001);
			assertThat(client.closeReason()).isEqualTo("Server shutting down");
		}
		close.get(30, TimeUnit.SECONDS);
		long first = clients.stream().mapToLong(RecordingListener::closedAtNanos).min().orElseThrow();
		long last = clients.stream().mapToLong(RecordingListener::closedAtNanos).max().orElseThrow();
		assertThat(Duration.ofNanos(last - first)).as("time between the first and the last close frame")
			.isGreaterThan(Duration.ofMillis(250));
		assertThat(Duration.ofNanos(last - closeStart)).isLessThan(Duration.ofSeconds(4).plus(SLACK));
		assertThat(stats.getClosedCleanly()).isEqualTo(50);
		assertThat(stats.getForceClosed()).isZero();
		assertThat(stats.getAlreadyGone()).isZero();
		assertThat(stats.getFailed()).isZero();
		assertThat(stats.getOpenSessions()).isZero();
		Drain drain = coordinator.drain().orElseThrow();
		assertThat(drain.timeline()).extracting("phase")
			.containsExactly(DrainPhase.PROPAGATION_WINDOW, DrainPhase.CONNECTION_DRAIN, DrainPhase.IN_FLIGHT_DRAIN);
	}

	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void theCloseCodeAndReasonAreConfigurable(ReactiveTestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-code=1012",
				"graceful-shutdown.websocket.close-reason=Restarting, connect again",
				"graceful-shutdown.websocket.close-spread=200ms");
		RecordingListener client = connect(port(context), "/echo");
		await().until(() -> context.getBean(WebSocketDrainStats.class).getOpenSessions() == 1);

		context.close();

		assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1012);
		assertThat(client.closeReason()).isEqualTo("Restarting, connect again");
	}

	/**
	 * Reactor Netty closes the connection as soon as its close frame is written, whatever
	 * the close code, so a client that never answers holds nothing. Tomcat and Jetty wait
	 * for the answer (see below).
	 */
	@Test
	void aClientThatNeverAnswersTheCloseFrameIsDroppedRightAfterItAndTheShutdownGoesOn() throws Exception {
		Duration closeTimeout = Duration.ofSeconds(10);
		ConfigurableApplicationContext context = start(ReactiveTestServer.REACTOR_NETTY,
				"graceful-shutdown.websocket.close-code=4000", "graceful-shutdown.websocket.close-spread=0s",
				"graceful-shutdown.websocket.close-timeout=" + closeTimeout.toSeconds() + "s");
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		try (RawWebSocketClient silent = RawWebSocketClient.connect(port(context), "/echo")) {
			assertThat(silent.status()).isEqualTo(101);
			await().until(() -> stats.getOpenSessions() == 1);

			long closeStart = System.nanoTime();
			CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

			assertThat(silent.awaitCloseFrame()).isEqualTo(4000);
			await().atMost(closeTimeout).pollInterval(Duration.ofMillis(50)).until(() -> !silent.isConnected());
			close.get(30, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).as("time until the context closed")
				.isLessThan(closeTimeout.dividedBy(2));
		}
		assertThat(stats.getClosedCleanly()).isOne();
		assertThat(stats.getForceClosed()).isZero();
	}

	/**
	 * Tomcat and Jetty wait for the client to answer a close frame with a code other than
	 * 1001 or 1012 (Jetty), or with any code (Tomcat): a client that never answers holds
	 * its connection until the drain drops it at the deadline, and counts as
	 * force-closed. The client writes nothing: on Jetty, a frame that arrives after the
	 * server's close frame ends the session.
	 */
	@ParameterizedTest
	@EnumSource(names = { "TOMCAT", "JETTY" })
	void onTomcatAndJettyAClientThatNeverAnswersTheCloseFrameIsDroppedAtTheDeadline(ReactiveTestServer server)
			throws Exception {
		Duration closeTimeout = Duration.ofSeconds(1);
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-code=4000",
				"graceful-shutdown.websocket.close-spread=0s",
				"graceful-shutdown.websocket.close-timeout=" + closeTimeout.toMillis() + "ms");
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		try (RawWebSocketClient silent = RawWebSocketClient.connect(port(context), "/echo")) {
			assertThat(silent.status()).isEqualTo(101);
			await().until(() -> stats.getOpenSessions() == 1);

			CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

			assertThat(silent.awaitCloseFrame()).isEqualTo(4000);
			long closeFrameReceived = System.nanoTime();
			close.get(30, TimeUnit.SECONDS);
			assertThat(Duration.ofNanos(System.nanoTime() - closeFrameReceived)).as("time until the context closed")
				.isGreaterThan(closeTimeout.dividedBy(2));
			assertThat(silent.awaitEnd(SLACK)).as("connection ended").isTrue();
		}
		assertThat(stats.getForceClosed()).isOne();
		assertThat(stats.getClosedCleanly()).isZero();
	}

	/**
	 * Clients that have stopped reading while the server streams to them, so that the
	 * buffers of their connections are full and their close frames cannot be written:
	 * Reactor Netty and Jetty queue each frame behind the messages being sent, Tomcat
	 * waits to write it (by default 20 s with 1000, 50 ms with other codes, which the
	 * drain stretches to its deadline), and only dropping the connection ends it.
	 */
	@ParameterizedTest(name = "{0}, close code {1}")
	@CsvSource({ "REACTOR_NETTY, 1001", "TOMCAT, 1000", "TOMCAT, 1001", "JETTY, 1000", "JETTY, 1001" })
	void whenClientsStopReadingThenTheOthersStillGetTheirCloseFramesAndTheStuckOnesAreDroppedAtTheDeadline(
			ReactiveTestServer server, int closeCode) throws Exception {
		Duration spread = Duration.ofMillis(500);
		Duration closeTimeout = Duration.ofMillis(1500);
		Duration deadline = spread.plus(closeTimeout);
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-code=" + closeCode,
				"graceful-shutdown.websocket.close-spread=" + spread.toMillis() + "ms",
				"graceful-shutdown.websocket.close-timeout=" + closeTimeout.toMillis() + "ms");
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		StreamingHandler streaming = context.getBean(StreamingHandler.class);
		List<RawWebSocketClient> stuck = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				stuck.add(RawWebSocketClient.connect(port(context), "/stream"));
			}
			List<RecordingListener> reading = new ArrayList<>();
			for (int i = 0; i < 20; i++) {
				reading.add(connect(port(context), "/echo"));
			}
			await().atMost(Duration.ofSeconds(20)).until(() -> streaming.stalledSessions(Duration.ofMillis(300)) == 3);

			long closeStart = System.nanoTime();
			CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

			for (RecordingListener client : reading) {
				assertThat(client.closeCode().get(30, TimeUnit.SECONDS)).isEqualTo(closeCode);
				assertThat(Duration.ofNanos(client.closedAtNanos() - closeStart)).as("arrival of a close frame")
					.isLessThan(spread.plusMillis(1500));
			}
			for (long droppedAt : awaitDropped(stuck, deadline.plus(SLACK))) {
				assertThat(Duration.ofNanos(droppedAt - closeStart)).as("drop of a stuck connection")
					.isBetween(deadline.minusMillis(500), deadline.plus(SLACK));
			}
			close.get(30, TimeUnit.SECONDS);
		}
		finally {
			for (RawWebSocketClient client : stuck) {
				client.close();
			}
		}
		assertThat(stats.getClosedCleanly()).isEqualTo(20);
		assertThat(stats.getFailed()).isEqualTo(3);
		assertThat(stats.getForceClosed()).isZero();
	}

	/**
	 * The close is held after the WebSocket drain, before the web server stops, so that
	 * the late handshake surely arrives while the close runs.
	 */
	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void onceTheCloseHasBegunHandshakesGet503WithRetryAfter(ReactiveTestServer server) throws Exception {
		ConnectionDrainEndHold hold = new ConnectionDrainEndHold();
		ConfigurableApplicationContext context = run(
				application(server, "graceful-shutdown.websocket.close-spread=500ms",
						"graceful-shutdown.websocket.close-timeout=2s")
					.listeners(hold));
		int port = port(context);
		WebSocketSessionDrain drain = context.getBean(WebSocketSessionDrain.class);
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		List<RecordingListener> clients = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			clients.add(connect(port, "/echo"));
		}
		await().until(() -> stats.getOpenSessions() == 20);
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		try {
			await().until(drain::isClosing);

			try (RawWebSocketClient late = RawWebSocketClient.connect(port, "/echo")) {
				assertThat(late.status()).isEqualTo(503);
				assertThat(late.header("Retry-After")).isEqualTo("1");
			}
			assertThat(stats.getRejectedHandshakes()).isOne();
			assertThat(close).isNotDone();
		}
		finally {
			hold.release();
		}
		close.get(30, TimeUnit.SECONDS);
		for (RecordingListener client : clients) {
			assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
		}
	}

	/**
	 * Reactor Netty's graceful shutdown waits for every open connection, and a WebSocket
	 * connection stays open until one side closes it. The drain closes them all before
	 * the graceful shutdown begins, so that it is over long before its timeout.
	 */
	@ParameterizedTest
	@EnumSource(ReactiveTestServer.class)
	void withOpenSessionsTheCloseEndsLongBeforeTheInFlightTimeout(ReactiveTestServer server) throws Exception {
		Duration inFlightTimeout = Duration.ofSeconds(20);
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-spread=500ms",
				"graceful-shutdown.websocket.close-timeout=1s",
				"spring.lifecycle.timeout-per-shutdown-phase=" + inFlightTimeout.toSeconds() + "s");
		List<RecordingListener> clients = new ArrayList<>();
		for (int i = 0; i < 20; i++) {
			clients.add(connect(port(context), "/echo"));
		}
		try (RawWebSocketClient silent = RawWebSocketClient.connect(port(context), "/echo")) {
			assertThat(silent.status()).isEqualTo(101);

			long closeStart = System.nanoTime();
			TestThreads.runInBackground(context::close).get(30, TimeUnit.SECONDS);

			assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).as("time until the context closed")
				.isLessThan(inFlightTimeout.dividedBy(4));
			assertThat(silent.awaitCloseFrame()).isEqualTo(1001);
		}
		for (RecordingListener client : clients) {
			assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
		}
	}

	/**
	 * What the drain prevents on Reactor Netty: without it, one open session holds its
	 * graceful shutdown for the whole in-flight timeout, after which the server's stop
	 * cuts the connection without a close frame.
	 */
	@Test
	void withoutTheWebSocketDrainOneOpenSessionHoldsTheCloseForTheWholeInFlightTimeout() throws Exception {
		Duration inFlightTimeout = Duration.ofSeconds(1);
		ConfigurableApplicationContext context = start(ReactiveTestServer.REACTOR_NETTY,
				"graceful-shutdown.websocket.enabled=false",
				"spring.lifecycle.timeout-per-shutdown-phase=" + inFlightTimeout.toSeconds() + "s");
		RecordingListener client = connect(port(context), "/echo");

		long closeStart = System.nanoTime();
		TestThreads.runInBackground(context::close).get(30, TimeUnit.SECONDS);

		assertThat(Duration.ofNanos(System.nanoTime() - closeStart)).as("time until the context closed")
			.isGreaterThanOrEqualTo(inFlightTimeout.minusMillis(100));
		Integer closeCode = client.closeCode().handle((code, failure) -> code).get(10, TimeUnit.SECONDS);
		assertThat(closeCode).as("close code seen by the client").isNotEqualTo(1001);
	}

	private RecordingListener connect(int port, String path) throws Exception {
		RecordingListener listener = new RecordingListener();
		this.httpClient.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + path), listener)
			.get(10, TimeUnit.SECONDS);
		return listener;
	}

	/**
	 * Waits until the server has dropped the given connections.
	 * @param clients the clients
	 * @param atMost the longest to wait
	 * @return when each connection was found dropped, in {@link System#nanoTime()}
	 */
	private static long[] awaitDropped(List<RawWebSocketClient> clients, Duration atMost) {
		long[] droppedAt = new long[clients.size()];
		await().atMost(atMost).pollInterval(Duration.ofMillis(50)).until(() -> {
			for (int i = 0; i < droppedAt.length; i++) {
				if (droppedAt[i] == 0 && !clients.get(i).isConnected()) {
					droppedAt[i] = System.nanoTime();
				}
			}
			return Arrays.stream(droppedAt).allMatch((dropped) -> dropped != 0);
		});
		return droppedAt;
	}

	private ConfigurableApplicationContext start(ReactiveTestServer server, String... properties) {
		return run(application(server, properties));
	}

	private ConfigurableApplicationContext run(SpringApplicationBuilder application) {
		ConfigurableApplicationContext context = application.run();
		this.contexts.add(context);
		return context;
	}

	private static SpringApplicationBuilder application(ReactiveTestServer server, String... properties) {
		return new SpringApplicationBuilder(ReactiveWebSocketTestApplication.class).properties(TestDefaults.PROPERTIES)
			.properties(server.properties())
			.properties("server.port=0", "server.address=127.0.0.1")
			.properties(properties);
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

}
