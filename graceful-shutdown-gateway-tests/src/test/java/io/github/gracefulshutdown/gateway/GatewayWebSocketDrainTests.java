package io.github.gracefulshutdown.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drains a WebSocket session that a real Spring Cloud Gateway routes to a real backend,
 * the gateway closed the way SIGTERM closes it: from another thread.
 */
class GatewayWebSocketDrainTests {

	private static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(20);

	private WebSocketBackend backend;

	private ConfigurableApplicationContext gateway;

	@BeforeEach
	void startBackend() {
		this.backend = WebSocketBackend.start();
	}

	@AfterEach
	void stop() {
		if (this.gateway != null) {
			this.gateway.close();
		}
		this.backend.close();
	}

	@Test
	void whenTheGatewayClosesThenARoutedSessionGetsGoingAwayWithoutHoldingTheClose() throws Exception {
		this.gateway = startGateway();
		int port = this.gateway.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		WebSocketDrainStats stats = this.gateway.getBean(WebSocketDrainStats.class);
		RecordingListener listener = new RecordingListener();
		WebSocket webSocket = HttpClient.newHttpClient()
			.newWebSocketBuilder()
			.buildAsync(URI.create("ws://127.0.0.1:" + port + "/ws/echo"), listener)
			.get(10, TimeUnit.SECONDS);
		webSocket.sendText("ping", true);
		await().until(() -> listener.messages.contains("ping"));

		long closeStarted = System.nanoTime();
		CompletableFuture<Void> close = new CompletableFuture<>();
		new Thread(() -> {
			this.gateway.close();
			close.complete(null);
		}, "close").start();

		assertThat(listener.closeCode.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
		close.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - closeStarted)).isLessThan(IN_FLIGHT_TIMEOUT.dividedBy(3));
		assertThat(stats.getClosedCleanly()).isOne();
	}

	private ConfigurableApplicationContext startGateway() {
		return new SpringApplicationBuilder(GatewayTestApplication.class).web(WebApplicationType.REACTIVE)
			// What TestDefaults.PROPERTIES sets for the starter's own tests
			.properties("spring.main.cloud-platform=none", "graceful-shutdown.drain-on-any-close=true")
			.properties("server.port=0", "server.address=127.0.0.1", "graceful-shutdown.termination-grace-period=60s",
					"spring.lifecycle.timeout-per-shutdown-phase=" + IN_FLIGHT_TIMEOUT.toSeconds() + "s",
					"spring.cloud.gateway.server.webflux.routes[0].id=websocket",
					"spring.cloud.gateway.server.webflux.routes[0].uri=" + this.backend.uri(),
					"spring.cloud.gateway.server.webflux.routes[0].predicates[0]=Path=/ws/**",
					"spring.cloud.gateway.server.webflux.routes[0].filters[0]=StripPrefix=1")
			.run();
	}

	private static final class RecordingListener implements WebSocket.Listener {

		private final List<String> messages = new CopyOnWriteArrayList<>();

		private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.messages.add(data.toString());
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closeCode.complete(statusCode);
			return null;
		}

		@Override
		public void onError(WebSocket webSocket, Throwable error) {
			this.closeCode.completeExceptionally(error);
		}

	}

}
