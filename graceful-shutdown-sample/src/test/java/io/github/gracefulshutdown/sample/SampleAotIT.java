package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.sample.SampleShutdownIT.FeedListener;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the sample jar with the code that {@code process-aot} generated at build time
 * ({@code spring.aot.enabled=true}) on a plain JVM, and stops it with a real SIGTERM. The
 * build ran off Kubernetes; the process runs on it, so the Kubernetes defaults must be
 * decided when the application starts, not when it was built.
 */
class SampleAotIT {

	private static final int SIGTERM_EXIT_CODE = 143;

	private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	@Test
	void withAheadOfTimeCodeOnKubernetesTheDrainServesTheWindowClosesTheFeedAndAwaitsWorkAndJobs() throws Exception {
		try (SampleProcess sample = SampleProcess.start(List.of("-Dspring.aot.enabled=true"),
				"--spring.main.cloud-platform=kubernetes")) {
			assertThat(sample.output()).contains("Starting AOT-processed SampleApplication")
				.contains("Drain budget: window 10s, extended while requests arrive up to 17s + drain listeners 1s"
						+ " + websocket drain 5s");
			int port = sample.port();
			FeedListener feed = new FeedListener();
			this.client.newWebSocketBuilder()
				.buildAsync(URI.create("ws://127.0.0.1:" + port + "/feed"), feed)
				.get(10, TimeUnit.SECONDS);
			assertThat(feed.firstTick.get(10, TimeUnit.SECONDS)).startsWith("tick ");
			assertThat(send(post(port, "/jobs?seconds=12")).statusCode()).isEqualTo(202);
			sample.awaitLog(Pattern.compile("Job 1 started"), Duration.ofSeconds(10));

			sample.sigterm();

			await().untilAsserted(
					() -> assertThat(send(get(port, "/actuator/health/readiness")).statusCode()).isEqualTo(503));
			CompletableFuture<HttpResponse<String>> inFlight = this.client.sendAsync(get(port, "/work?millis=2000"),
					HttpResponse.BodyHandlers.ofString());
			assertThat(feed.closeCode.get(30, TimeUnit.SECONDS)).isEqualTo(1001);
			assertThat(inFlight.get(30, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isGreaterThan(Duration.ofSeconds(10)).isLessThan(GRACE_PERIOD);
			assertThat(sample.countLogLines(Pattern.compile("Job 1 finished"))).isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain report: \\{\"trigger\":\"CONTEXT_CLOSE\".*"
					+ "\"propagationWindowMillis\":1\\d{4},.*\"tasksCutOff\":0,.*\"websocketSessionsClosedCleanly\":1,")))
				.isOne();
		}
	}

	private HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		return this.client.send(request, HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest get(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
	}

	private static HttpRequest post(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.POST(HttpRequest.BodyPublishers.noBody())
			.timeout(Duration.ofSeconds(30))
			.build();
	}

}
