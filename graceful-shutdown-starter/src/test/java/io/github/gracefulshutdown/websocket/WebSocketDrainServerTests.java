package io.github.gracefulshutdown.websocket;

import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.test.RawWebSocketClient;
import io.github.gracefulshutdown.test.RecordingListener;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import io.github.gracefulshutdown.test.WebSocketTestApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.HttpHeaders;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketExtension;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.client.standard.StandardWebSocketClient;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Closes the WebSocket sessions of a real embedded server, with real clients on real
 * sockets, when the application context is closed the way SIGTERM closes it: from another
 * thread.
 */
class WebSocketDrainServerTests {

	private static final Duration SLACK = Duration.ofSeconds(5);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final HttpClient httpClient = HttpClient.newHttpClient();

	@AfterEach
	void closeContexts() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void everyPlainClientGetsTheCloseFrameAtADifferentMomentOfTheSpread(TestServer server) throws Exception {
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
	@EnumSource(TestServer.class)
	void theCloseCodeAndReasonAreConfigurable(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-code=1012",
				"graceful-shutdown.websocket.close-reason=Restarting, connect again",
				"graceful-shutdown.websocket.close-spread=200ms");
		RecordingListener client = connect(port(context), "/echo");
		await().until(() -> context.getBean(WebSocketDrainStats.class).getOpenSessions() == 1);

		context.close();

		assertThat(client.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1012);
		assertThat(client.closeReason()).isEqualTo("Restarting, connect again");
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aStompClientGetsAProperClose(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-spread=200ms");
		CloseRecordingWebSocketClient webSocketClient = new CloseRecordingWebSocketClient();
		WebSocketStompClient stompClient = new WebSocketStompClient(webSocketClient);
		StompSession stomp = stompClient
			.connectAsync("ws://127.0.0.1:" + port(context) + "/stomp", new StompSessionHandlerAdapter() {
			})
			.get(10, TimeUnit.SECONDS);
		stomp.subscribe("/topic/feed", new StompSessionHandlerAdapter() {

			@Override
			public Type getPayloadType(StompHeaders headers) {
				return String.class;
			}

		});
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		await().until(() -> stats.getOpenSessions() == 1);

		context.close();

		CloseStatus status = webSocketClient.closeStatus.get(10, TimeUnit.SECONDS);
		assertThat(status.getCode()).isEqualTo(1001);
		assertThat(status.getReason()).isEqualTo("Server shutting down");
		assertThat(stomp.isConnected()).isFalse();
		assertThat(stats.getClosedCleanly()).isOne();
	}

	/**
	 * Uses an application close code: Jetty ends the connection right after sending a
	 * close frame with 1001 or 1012, which it deems abnormal, and waits for the answer
	 * only with 1000 and 3000 to 4999.
	 */
	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aClientThatNeverAnswersTheCloseFrameIsDroppedAtTheDeadlineAndShutdownGoesOn(TestServer server)
			throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-code=4000",
				"graceful-shutdown.websocket.close-spread=0s", "graceful-shutdown.websocket.close-timeout=1s");
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		try (RawWebSocketClient silent = RawWebSocketClient.connect(port(context), "/echo")) {
			assertThat(silent.status()).isEqualTo(101);
			await().until(() -> stats.getOpenSessions() == 1);

			CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

			assertThat(silent.awaitCloseFrame()).isEqualTo(4000);
			long closeFrameReceived = System.nanoTime();
			await().atMost(Duration.ofSeconds(20))
				.pollInterval(Duration.ofMillis(50))
				.until(() -> !silent.isConnected());
			assertThat(Duration.ofNanos(System.nanoTime() - closeFrameReceived)).as("time until dropped")
				.isGreaterThan(Duration.ofMillis(500));
			close.get(30, TimeUnit.SECONDS);
		}
		assertThat(stats.getForceClosed()).isOne();
		assertThat(stats.getClosedCleanly()).isZero();
	}

	/**
	 * Clients that have stopped reading while the server streams to them, so that the
	 * buffers of their connections are full and their close frames cannot be written.
	 * Tomcat writes a close frame before its close returns, behind the message being
	 * sent, waiting up to 20 s with 1000 (50 ms with other codes); Jetty queues it behind
	 * that message and deems the session closed at once with 1001.
	 */
	@ParameterizedTest(name = "{0}, close code {1}")
	@CsvSource({ "TOMCAT, 1000", "TOMCAT, 1001", "JETTY, 1000", "JETTY, 1001" })
	void whenClientsStopReadingThenTheOthersStillGetTheirCloseFramesAndTheStuckOnesFailAtTheDeadline(TestServer server,
			int closeCode) throws Exception {
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
			await().atMost(Duration.ofSeconds(20)).until(() -> streaming.blockedSends(Duration.ofMillis(300)) == 3);

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

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void onceTheCloseHasBegunHandshakesGet503WithRetryAfter(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-code=4000",
				"graceful-shutdown.websocket.close-spread=0s", "graceful-shutdown.websocket.close-timeout=10s");
		int port = port(context);
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		CompletableFuture<Void> close;
		try (RawWebSocketClient silent = RawWebSocketClient.connect(port, "/echo")) {
			await().until(() -> stats.getOpenSessions() == 1);
			close = TestThreads.runInBackground(context::close);
			silent.awaitCloseFrame();

			for (String path : List.of("/echo", "/stomp")) {
				try (RawWebSocketClient late = RawWebSocketClient.connect(port, path)) {
					assertThat(late.status()).isEqualTo(503);
					assertThat(late.header("Retry-After")).isEqualTo("1");
				}
			}
			assertThat(stats.getRejectedHandshakes()).isEqualTo(2);
		}
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void jakartaEndpointsThatTrackTheirSessionsHaveThemClosed(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.websocket.close-spread=200ms");
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		RecordingListener registered = connect(port(context), "/jakarta");
		RecordingListener annotated = connect(port(context), "/annotated");
		await().until(() -> stats.getOpenSessions() == 2);

		context.close();

		assertThat(registered.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
		assertThat(annotated.closeCode().get(10, TimeUnit.SECONDS)).isEqualTo(1001);
		assertThat(stats.getClosedCleanly()).isEqualTo(2);
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

	private ConfigurableApplicationContext start(TestServer server, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(WebSocketTestApplication.class,
				StreamingConfiguration.class)
			.properties(TestDefaults.PROPERTIES)
			.properties("server.port=0", "server.address=127.0.0.1", server.selection())
			.properties((server != TestServer.JETTY) ? WebSocketTestApplication.UPGRADE_STRATEGY_PROPERTY + "=standard"
					: WebSocketTestApplication.UPGRADE_STRATEGY_PROPERTY + "=default")
			.properties(properties)
			.run();
		this.contexts.add(context);
		return context;
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	/**
	 * Adds a plain handler at {@code /stream} that streams to its clients.
	 */
	@Configuration(proxyBeanMethods = false)
	static class StreamingConfiguration implements WebSocketConfigurer {

		private final StreamingHandler handler = new StreamingHandler();

		private final Environment environment;

		StreamingConfiguration(Environment environment) {
			this.environment = environment;
		}

		@Bean
		StreamingHandler streamingHandler() {
			return this.handler;
		}

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(this.handler, "/stream")
				.setHandshakeHandler(WebSocketTestApplication.handshakeHandler(this.environment));
		}

	}

	/**
	 * Sends text messages to each client, one after the other, from a thread of its own,
	 * as fast as the connection takes them, until a send fails.
	 */
	static class StreamingHandler extends AbstractWebSocketHandler {

		private static final TextMessage CHUNK = new TextMessage("x".repeat(8192));

		private final Map<String, AtomicLong> sendingSince = new ConcurrentHashMap<>();

		@Override
		public void afterConnectionEstablished(WebSocketSession session) {
			AtomicLong since = new AtomicLong();
			this.sendingSince.put(session.getId(), since);
			Thread sender = new Thread(() -> {
				try {
					while (session.isOpen()) {
						since.set(System.nanoTime());
						session.sendMessage(CHUNK);
						since.set(0);
					}
				}
				catch (IOException | RuntimeException ex) {
					// The connection is gone
				}
				finally {
					since.set(0);
				}
			}, "stream-" + session.getId());
			sender.setDaemon(true);
			sender.start();
		}

		/**
		 * Returns the number of sends that have been waiting longer than the given time,
		 * for a client that does not read.
		 * @param longerThan how long a send must have been waiting
		 * @return the number of blocked sends
		 */
		long blockedSends(Duration longerThan) {
			long now = System.nanoTime();
			return this.sendingSince.values()
				.stream()
				.mapToLong(AtomicLong::get)
				.filter((since) -> since != 0 && now - since > longerThan.toNanos())
				.count();
		}

	}

	/**
	 * A Spring WebSocket client that records the close status of its sessions, which the
	 * STOMP client does not expose.
	 */
	static class CloseRecordingWebSocketClient extends StandardWebSocketClient {

		final CompletableFuture<CloseStatus> closeStatus = new CompletableFuture<>();

		@Override
		protected CompletableFuture<WebSocketSession> executeInternal(WebSocketHandler handler, HttpHeaders headers,
				URI uri, List<String> protocols, List<WebSocketExtension> extensions, Map<String, Object> attributes) {
			return super.executeInternal(new WebSocketHandlerDecorator(handler) {

				@Override
				public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
					CloseRecordingWebSocketClient.this.closeStatus.complete(status);
					super.afterConnectionClosed(session, status);
				}

			}, headers, uri, protocols, extensions, attributes);
		}

	}

}
