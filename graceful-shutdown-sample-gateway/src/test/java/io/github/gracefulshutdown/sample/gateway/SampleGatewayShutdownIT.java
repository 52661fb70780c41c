package io.github.gracefulshutdown.sample.gateway;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the sample gateway's jar as a real process in front of a real WebSocket backend,
 * and stops it with a real SIGTERM.
 */
class SampleGatewayShutdownIT {

	private static final int SIGTERM_EXIT_CODE = 143;

	private static final int GOING_AWAY = 1001;

	private static final int NO_STATUS_CODE = 1005;

	/**
	 * Short, so that a session that held the shutdown would cost the test seconds, not
	 * half a minute: the in-flight deadline is at 10 s (12 s less the 2 s safety margin).
	 */
	private static final Duration GRACE_PERIOD = Duration.ofSeconds(12);

	/**
	 * Well before the in-flight deadline: a gateway that exits sooner was not held until
	 * the deadline by the routed session.
	 */
	private static final Duration BEFORE_IN_FLIGHT_DEADLINE = Duration.ofSeconds(8);

	/**
	 * Generous: the first session through the gateway also creates its WebSocket client.
	 */
	private static final Duration FIRST_TICK_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void afterTheWindowARoutedWebSocketGetsGoingAwayAndTheGatewayExitsByItself() throws Exception {
		Duration window = Duration.ofSeconds(1);
		try (FeedBackend backend = new FeedBackend();
				GatewayProcess gateway = GatewayProcess.start("--sample.backend-uri=" + backend.uri(),
						"--graceful-shutdown.delay=" + window.toSeconds() + "s",
						"--graceful-shutdown.termination-grace-period=" + GRACE_PERIOD.toSeconds() + "s")) {
			FeedListener listener = new FeedListener();
			WebSocket feed = HttpClient.newHttpClient()
				.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + gateway.port() + "/feed"), listener)
				.get(FIRST_TICK_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			assertThat(listener.firstTick.get(FIRST_TICK_TIMEOUT.toSeconds(), TimeUnit.SECONDS)).startsWith("tick ");

			gateway.sigterm();

			assertThat(listener.closeCode.get(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS)).isEqualTo(GOING_AWAY);
			assertThat(gateway.sinceSigterm()).as("the close frame comes after the window")
				.isGreaterThanOrEqualTo(window);
			Duration sigtermToExit = gateway.awaitExit(GRACE_PERIOD);
			assertThat(gateway.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).as("exited before the in-flight deadline").isLessThan(BEFORE_IN_FLIGHT_DEADLINE);
			assertThat(feed.isInputClosed()).isTrue();
			// The gateway passes the close on to the backend: the drain's code, or no
			// code
			// when the end of the client's session gets there first
			assertThat(backend.closeCode().get(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS))
				.as("close code at the backend")
				.isIn(GOING_AWAY, NO_STATUS_CODE);
			assertThat(gateway.countLogLines(Pattern
				.compile("Drain report: .*\"websocketSessionsClosedCleanly\":1,\"websocketSessionsForceClosed\":0")))
				.isOne();
		}
	}

	/**
	 * Records the first tick and the close frame of the feed, and answers the close frame
	 * as browsers do.
	 */
	static class FeedListener implements WebSocket.Listener {

		final CompletableFuture<String> firstTick = new CompletableFuture<>();

		final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.firstTick.complete(data.toString());
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
