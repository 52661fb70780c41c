package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the sample jar as a real process and stops it with a real SIGTERM. Each test has a
 * process of its own, so two run at a time.
 */
@Execution(ExecutionMode.CONCURRENT)
class SampleShutdownIT {

	private static final int SIGTERM_EXIT_CODE = 143;

	private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

	/**
	 * A grace period whose in-flight deadline comes 3 s after SIGTERM: a 1 s window, the
	 * drain listeners' 1 s, no WebSocket allotment (no session is open), and the default
	 * 2 s safety margin, which the exit must still fall within.
	 */
	private static final Duration SHORT_GRACE_PERIOD = Duration.ofSeconds(5);

	private static final String[] SHORT_BUDGET = { "--graceful-shutdown.delay=1s",
			"--graceful-shutdown.websocket.close-spread=0s", "--graceful-shutdown.websocket.close-timeout=0s",
			"--graceful-shutdown.termination-grace-period=" + SHORT_GRACE_PERIOD.toSeconds() + "s" };

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void afterSigtermItServesThroughTheWindowFinishesWorkInFlightAndExitsByItself() throws Exception {
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=3s")) {
			int port = sample.port();
			assertThat(status(port, "/actuator/health/readiness")).isEqualTo(200);
			CompletableFuture<HttpResponse<String>> inFlight = this.client.sendAsync(request(port, "/work?millis=5000"),
					HttpResponse.BodyHandlers.ofString());
			sample.awaitLog(Pattern.compile("Working for 5000 ms"), Duration.ofSeconds(10));

			sample.sigterm();

			await().untilAsserted(() -> assertThat(status(port, "/actuator/health/readiness")).isEqualTo(503));
			assertThat(status(port, "/actuator/health/liveness")).isEqualTo(200);
			for (int i = 0; i < 3; i++) {
				assertThat(status(port, "/work?millis=10")).isEqualTo(200);
			}
			HttpResponse<String> response = inFlight.get(30, TimeUnit.SECONDS);
			assertThat(response.statusCode()).isEqualTo(200);
			assertThat(response.body()).startsWith("worked 5000 ms");
			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isGreaterThan(Duration.ofSeconds(3)).isLessThan(GRACE_PERIOD);
			assertThat(sample.countLogLines(Pattern.compile("Drain started by CONTEXT_CLOSE"))).isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain report: \\{\"trigger\":\"CONTEXT_CLOSE\""))).isOne();
		}
	}

	@Test
	void workThatOutlivesTheInFlightDeadlineIsReportedAndDoesNotKeepTheProcessAlive() throws Exception {
		try (SampleProcess sample = SampleProcess.start(SHORT_BUDGET)) {
			this.client.sendAsync(request(sample.port(), "/work?millis=60000"), HttpResponse.BodyHandlers.discarding());
			sample.awaitLog(Pattern.compile("Working for 60000 ms"), Duration.ofSeconds(10));

			sample.sigterm();

			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isLessThan(SHORT_GRACE_PERIOD);
			assertThat(sample.countLogLines(Pattern
				.compile("1 request was still in flight at the in-flight deadline .*GET /work \\(running for")))
				.isOne();
		}
	}

	@Test
	void aPreStopCallWaitsForTheWindowAndTheSigtermThatFollowsAddsNoSecondWindow() throws Exception {
		Duration window = Duration.ofSeconds(5);
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=" + window.toSeconds() + "s",
				"--management.server.port=0", "--management.server.address=127.0.0.1",
				"--management.endpoint.prestop.access=read-only",
				"--management.endpoints.web.exposure.include=health,prestop")) {
			long start = System.nanoTime();
			HttpRequest preStopHook = HttpRequest
				.newBuilder(request(sample.managementPort(), "/actuator/prestop"), (name, value) -> true)
				.header("Graceful-Shutdown-Trigger", "drain")
				.build();
			HttpResponse<String> preStop = this.client.send(preStopHook, HttpResponse.BodyHandlers.ofString());
			Duration preStopCall = Duration.ofNanos(System.nanoTime() - start);
			assertThat(preStop.statusCode()).isEqualTo(200);
			assertThat(preStop.body()).contains("\"windowEnded\":true");
			assertThat(preStopCall).isGreaterThanOrEqualTo(window);

			sample.sigterm();

			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).as("no second window").isLessThan(window);
			assertThat(sample.countLogLines(Pattern.compile("Drain started by PRE_STOP_HOOK"))).isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain started by CONTEXT_CLOSE"))).isZero();
		}
	}

	@Test
	void withoutWorkInFlightItExitsRightAfterTheWindow() throws Exception {
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=1s")) {
			sample.sigterm();

			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);

			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isGreaterThanOrEqualTo(Duration.ofSeconds(1)).isLessThan(GRACE_PERIOD);
		}
	}

	@Test
	void outsideKubernetesTheDefaultIsNoWindow() throws Exception {
		try (SampleProcess sample = SampleProcess.start()) {
			sample.sigterm();

			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);

			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sample.output()).contains("Drain started by CONTEXT_CLOSE; propagation window: fixed 0s");
			assertThat(sigtermToExit).isLessThan(GRACE_PERIOD);
		}
	}

	@Test
	void afterSigtermAFeedClientGetsGoingAwayAndTheProcessStillExitsByItself() throws Exception {
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=1s")) {
			FeedListener listener = new FeedListener();
			WebSocket feed = this.client.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + sample.port() + "/feed"), listener)
				.get(10, TimeUnit.SECONDS);
			assertThat(listener.firstTick.get(10, TimeUnit.SECONDS)).startsWith("tick ");

			sample.sigterm();

			assertThat(listener.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(1001);
			assertThat(listener.closeReason).isEqualTo("Server shutting down");
			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isLessThan(GRACE_PERIOD);
			assertThat(sample.output()).contains("WebSocket drain closed 1 sessions")
				.contains("1 closed cleanly, 0 force-closed at the deadline");
			assertThat(feed.isInputClosed()).isTrue();
		}
	}

	@Test
	void aJobRunningAtSigtermCompletesWithinItsBudgetAndTheProcessThenExitsByItself() throws Exception {
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=1s")) {
			HttpResponse<String> accepted = startJob(sample.port(), 4);
			assertThat(accepted.statusCode()).isEqualTo(202);
			assertThat(accepted.headers().firstValue("Location")).hasValue("/jobs/1");
			sample.awaitLog(Pattern.compile("Job 1 started: 4 s of work"), Duration.ofSeconds(10));

			sample.sigterm();

			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			// Well past the 1 s window: the exit waited for the job
			assertThat(sigtermToExit).isGreaterThan(Duration.ofSeconds(2)).isLessThan(GRACE_PERIOD);
			assertThat(sample.countLogLines(Pattern.compile("Job 1 finished"))).isOne();
			assertThat(sample.countLogLines(
					Pattern.compile("Waiting until the in-flight deadline .* for 1 long-running task: job 1 ")))
				.isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain report: .*\"taskDrainMillis\":\\d+.*"
					+ "\"tasksCompletedDuringDrain\":[1-9]\\d*,\"tasksCutOff\":0")))
				.isOne();
			assertThat(sample.output()).doesNotContain("The task drain reached its deadline");
		}
	}

	@Test
	void withATimeoutOfItsOwnAJobIsAwaitedAfterTheInFlightDrain() throws Exception {
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=1s",
				"--graceful-shutdown.tasks.timeout=15s")) {
			assertThat(startJob(sample.port(), 4).statusCode()).isEqualTo(202);
			sample.awaitLog(Pattern.compile("Job 1 started"), Duration.ofSeconds(10));

			sample.sigterm();

			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isLessThan(GRACE_PERIOD);
			assertThat(sample.output()).contains("task drain 15s")
				.contains("Waiting at most 15s (graceful-shutdown.tasks.timeout) for 1 long-running task: job 1")
				.contains("Job 1 finished")
				.contains("\"tasksCutOff\":0");
		}
	}

	@Test
	void aJobLongerThanItsBudgetIsReportedAndTheProcessExitsBeforeTheGracePeriod() throws Exception {
		try (SampleProcess sample = SampleProcess.start(SHORT_BUDGET)) {
			assertThat(startJob(sample.port(), 600).statusCode()).isEqualTo(202);
			sample.awaitLog(Pattern.compile("Job 1 started"), Duration.ofSeconds(10));

			sample.sigterm();

			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isLessThan(SHORT_GRACE_PERIOD);
			assertThat(sample.countLogLines(Pattern
				.compile("The task drain reached its deadline with 1 long-running task: job 1 \\(running for")))
				.isOne();
			assertThat(sample.countLogLines(Pattern.compile("\"tasksCutOff\":1"))).isOne();
			assertThat(sample.output()).doesNotContain("Job 1 finished");
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
	 * Records the first tick and the close frame of the feed, and answers the close frame
	 * as browsers do.
	 */
	static class FeedListener implements WebSocket.Listener {

		final CompletableFuture<String> firstTick = new CompletableFuture<>();

		final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

		volatile String closeReason = "";

		@Override
		public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
			this.firstTick.complete(data.toString());
			webSocket.request(1);
			return null;
		}

		@Override
		public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
			this.closeReason = reason;
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

}
