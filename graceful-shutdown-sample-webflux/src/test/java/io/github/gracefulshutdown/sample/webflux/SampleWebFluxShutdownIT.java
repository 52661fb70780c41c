package io.github.gracefulshutdown.sample.webflux;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the WebFlux sample jar as a real process on Reactor Netty and stops it with a real
 * SIGTERM.
 */
class SampleWebFluxShutdownIT {

	private static final int SIGTERM_EXIT_CODE = 143;

	private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

	/**
	 * The grace period of the tests of open connections, short so that a connection that
	 * holds the shutdown costs the test seconds, not half a minute: its in-flight
	 * deadline is at 10 s (12 s less the 2 s safety margin).
	 */
	private static final Duration SHORT_GRACE_PERIOD = Duration.ofSeconds(12);

	/**
	 * Well before the in-flight deadline of {@link #SHORT_GRACE_PERIOD}: a process that
	 * exits sooner was not held until the deadline by an open connection.
	 */
	private static final Duration BEFORE_IN_FLIGHT_DEADLINE = Duration.ofSeconds(8);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void afterSigtermItServesThroughTheWindowFinishesWorkInFlightAndExitsByItself() throws Exception {
		Duration window = Duration.ofSeconds(3);
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=" + window.toSeconds() + "s")) {
			int port = sample.port();
			assertThat(status(port, "/actuator/health/readiness")).isEqualTo(200);
			CompletableFuture<HttpResponse<String>> inFlight = this.client.sendAsync(request(port, "/work?millis=5000"),
					HttpResponse.BodyHandlers.ofString());
			HttpResponse<String> job = startJob(port, 4);
			assertThat(job.statusCode()).isEqualTo(202);
			assertThat(job.headers().firstValue("Location")).hasValue("/jobs/1");
			sample.awaitLog(Pattern.compile("Working for 5000 ms"), Duration.ofSeconds(10));
			sample.awaitLog(Pattern.compile("Job 1 started: 4 s of work"), Duration.ofSeconds(10));

			sample.sigterm();

			await().atMost(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThat(status(port, "/actuator/health/readiness")).isEqualTo(503));
			assertThat(status(port, "/actuator/health/liveness")).isEqualTo(200);
			for (int i = 0; i < 3; i++) {
				assertThat(status(port, "/work?millis=10")).isEqualTo(200);
			}
			assertThat(sample.sinceSigterm()).as("still inside the window").isLessThan(window);
			HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).startsWith("worked 5000 ms");
			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isGreaterThan(window).isLessThan(GRACE_PERIOD.dividedBy(2));
			assertThat(sample.countLogLines(Pattern.compile("Job 1 finished"))).isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain started by CONTEXT_CLOSE"))).isOne();
			assertThat(sample.countLogLines(Pattern.compile(
					"Drain report: \\{\"trigger\":\"CONTEXT_CLOSE\".*" + "\"requestsCutOff\":0.*\"tasksCutOff\":0")))
				.isOne();
		}
	}

	@Test
	void duringTheWindowResponsesAskKeepAliveClientsToReconnectElsewhere() throws Exception {
		Duration window = Duration.ofSeconds(3);
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=" + window.toSeconds() + "s")) {
			int port = sample.port();
			assertThat(connectionHeader(port, "/work?millis=10")).isEmpty();

			sample.sigterm();

			await().atMost(Duration.ofSeconds(1))
				.untilAsserted(() -> assertThat(status(port, "/actuator/health/readiness")).isEqualTo(503));
			assertThat(connectionHeader(port, "/work?millis=10")).hasValue("close");
			assertThat(sample.sinceSigterm()).as("still inside the window").isLessThan(window);
			assertThat(sample.awaitExit(GRACE_PERIOD)).isLessThan(GRACE_PERIOD.dividedBy(2));
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
		}
	}

	@Test
	void afterTheWindowAnEventStreamEndsNormallyAndTheProcessExitsByItself() throws Exception {
		Duration window = Duration.ofSeconds(2);
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=" + window.toSeconds() + "s",
				"--graceful-shutdown.termination-grace-period=" + SHORT_GRACE_PERIOD.toSeconds() + "s")) {
			EventStreamListener events = new EventStreamListener();
			this.client.sendAsync(eventStreamRequest(sample.port(), "/events"),
					HttpResponse.BodyHandlers.fromLineSubscriber(events));
			await().atMost(Duration.ofSeconds(10)).until(() -> events.lastEventId().isPresent());

			sample.sigterm();

			events.end.get(SHORT_GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS);
			Duration streamEnd = sample.sinceSigterm();
			assertThat(streamEnd).as("the stream ends right after the window")
				.isGreaterThanOrEqualTo(window)
				.isLessThan(window.plusSeconds(2));
			assertThat(events.lastEventId()).hasValueSatisfying((id) -> assertThat(id).isGreaterThan(10));
			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).as("exited before the in-flight deadline").isLessThan(BEFORE_IN_FLIGHT_DEADLINE);
		}
	}

	@Test
	void afterTheWindowAFeedClientGetsGoingAwayAndTheProcessExitsByItself() throws Exception {
		Duration window = Duration.ofSeconds(1);
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=" + window.toSeconds() + "s",
				"--graceful-shutdown.termination-grace-period=" + SHORT_GRACE_PERIOD.toSeconds() + "s")) {
			FeedListener listener = new FeedListener();
			WebSocket feed = this.client.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + sample.port() + "/feed"), listener)
				.get(10, TimeUnit.SECONDS);
			assertThat(listener.firstTick.get(10, TimeUnit.SECONDS)).startsWith("tick ");

			sample.sigterm();

			assertThat(listener.closeCode.get(SHORT_GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS)).isEqualTo(1001);
			assertThat(sample.sinceSigterm()).as("the close frame comes after the window")
				.isGreaterThanOrEqualTo(window);
			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).as("exited before the in-flight deadline").isLessThan(BEFORE_IN_FLIGHT_DEADLINE);
			assertThat(feed.isInputClosed()).isTrue();
		}
	}

	private HttpResponse<String> startJob(int port, int seconds) throws IOException, InterruptedException {
		return this.client
			.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/jobs?seconds=" + seconds))
				.POST(HttpRequest.BodyPublishers.noBody())
				.timeout(Duration.ofSeconds(30))
				.build(), HttpResponse.BodyHandlers.ofString());
	}

	private int status(int port, String path) throws IOException, InterruptedException {
		return this.client.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	/**
	 * Sends one request on a new connection as a pooling HTTP/1.1 client does, keeping
	 * the connection alive, and returns the {@code Connection} header of the response.
	 */
	private static Optional<String> connectionHeader(int port, String path) throws IOException {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			socket.setSoTimeout(10_000);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			BufferedReader in = new BufferedReader(
					new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
			assertThat(in.readLine()).startsWith("HTTP/1.1 200");
			String header;
			while ((header = in.readLine()) != null && !header.isEmpty()) {
				if (header.toLowerCase(Locale.ROOT).startsWith("connection:")) {
					return Optional.of(header.substring("connection:".length()).trim());
				}
			}
			return Optional.empty();
		}
	}

	/**
	 * Reads a stream of server-sent events line by line, records the id of the last event
	 * and how the stream ended: normally, or with an error when the connection was cut.
	 */
	static class EventStreamListener implements Flow.Subscriber<String> {

		final CompletableFuture<Void> end = new CompletableFuture<>();

		private final List<Long> ids = new CopyOnWriteArrayList<>();

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			if (line.startsWith("id:")) {
				this.ids.add(Long.parseLong(line.substring("id:".length()).trim()));
			}
		}

		@Override
		public void onError(Throwable error) {
			this.end.completeExceptionally(error);
		}

		@Override
		public void onComplete() {
			this.end.complete(null);
		}

		Optional<Long> lastEventId() {
			return this.ids.isEmpty() ? Optional.empty() : Optional.of(this.ids.get(this.ids.size() - 1));
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
