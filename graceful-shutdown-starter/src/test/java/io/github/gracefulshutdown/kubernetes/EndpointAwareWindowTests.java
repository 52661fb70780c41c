package io.github.gracefulshutdown.kubernetes;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.EndpointAwarePropagationWindow;
import io.github.gracefulshutdown.drain.EndpointRemovalWatch;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.drain.WindowEndReason;
import io.github.gracefulshutdown.report.DrainReport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EndpointAwarePropagationWindow} watching a {@link FakeApiServer}
 * through {@link EndpointSliceWatch}: the window ends a tail after the removal is
 * published, keeps serving while it is not, and falls back to its floor when the API
 * server cannot tell.
 */
@ExtendWith(OutputCaptureExtension.class)
class EndpointAwareWindowTests {

	/**
	 * The floor the window falls back to when the API server cannot tell.
	 */
	private static final Duration FALLBACK_FLOOR = Duration.ofSeconds(1);

	private static final Duration TAIL = Duration.ofMillis(200);

	private static final Duration QUIET_PERIOD = Duration.ofMillis(100);

	@TempDir
	Path directory;

	/**
	 * Long enough for a cold JVM on a busy machine to meet; the test of a hanging watch
	 * shortens it.
	 */
	private Duration requestTimeout = Duration.ofSeconds(5);

	private FakeApiServer apiServer;

	private final RequestActivity activity = new RequestActivity();

	@BeforeEach
	void startApiServer() throws IOException {
		this.apiServer = new FakeApiServer();
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true", "other-pod:true");
		Files.writeString(this.directory.resolve("namespace"), FakeApiServer.NAMESPACE);
	}

	@AfterEach
	void stopApiServer() {
		this.apiServer.close();
	}

	@Test
	void whenTheRemovalIsPublishedAfterOneSecondThenTheWindowEndsATailLater() throws InterruptedException {
		Drain drain = startDrain(Duration.ofSeconds(30), Duration.ofSeconds(40));
		awaitWatch();
		await().atMost(Duration.ofSeconds(10)).until(() -> drain.elapsedNanos() >= Duration.ofSeconds(1).toNanos());
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false", "other-pod:true");

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.ENDPOINT_REMOVED);
		assertThat(drain.endpointRemoval()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
		assertThat(drain.windowExtension()).isZero();
		assertThat(DrainReport.of(drain, List.of()).fields()).containsEntry("windowEndReason", "ENDPOINT_REMOVED")
			.containsEntry("endpointRemovalMillis", drain.endpointRemoval().toMillis());
	}

	@Test
	void whenTheRemovalIsPublishedAfterTheFallbackFloorThenTheWindowWaitsForIt() throws InterruptedException {
		Drain drain = startDrain(FALLBACK_FLOOR, Duration.ofSeconds(30));
		awaitWatch();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> drain.elapsedNanos() >= FALLBACK_FLOOR.multipliedBy(2).toNanos());
		assertThat(drain.isWindowEnded()).isFalse();
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false", "other-pod:true");

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.ENDPOINT_REMOVED);
		assertThat(drain.endpointRemoval()).isGreaterThanOrEqualTo(FALLBACK_FLOOR.multipliedBy(2));
	}

	@Test
	void whenTheApiServerEndsTheWatchBeforeTheRemovalThenTheWindowStillWaitsForIt() throws InterruptedException {
		Drain drain = startDrain(FALLBACK_FLOOR, Duration.ofSeconds(30));
		awaitWatch();
		this.apiServer.endWatches();
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.apiServer.watchRequests() == 2 && this.apiServer.openWatches() == 1);
		await().atMost(Duration.ofSeconds(10))
			.until(() -> drain.elapsedNanos() >= FALLBACK_FLOOR.multipliedBy(2).toNanos());
		assertThat(drain.isWindowEnded()).isFalse();
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false", "other-pod:true");

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.ENDPOINT_REMOVED);
	}

	@Test
	void whenRequestsStillArriveAfterTheRemovalThenTheWindowExtends() throws InterruptedException {
		Duration quietPeriod = Duration.ofSeconds(3);
		Drain drain = startDrain(this.apiServer.url(), FALLBACK_FLOOR, quietPeriod, Duration.ofSeconds(30));
		awaitWatch();
		this.activity.requestReceived(true);
		this.activity.requestCompleted();
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false", "other-pod:true");

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.QUIET);
		assertThat(drain.windowExtension()).isPositive();
		assertThat(Duration.between(drain.startedAt(), drain.timeline().get(0).endedAt()))
			.isGreaterThanOrEqualTo(quietPeriod);
	}

	@Test
	void whenTheRemovalIsNeverPublishedThenTheWindowKeepsServingUntilItsCeiling(CapturedOutput output)
			throws InterruptedException {
		Duration ceiling = FALLBACK_FLOOR.multipliedBy(2);
		Drain drain = startDrain(FALLBACK_FLOOR, ceiling);
		awaitWatch();

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.CEILING);
		assertThat(Duration.between(drain.startedAt(), drain.timeline().get(0).endedAt()))
			.isGreaterThanOrEqualTo(ceiling);
		assertThat(drain.endpointRemoval()).isNull();
		assertThat(DrainReport.of(drain, List.of()).fields()).containsEntry("endpointRemovalMillis", null);
		assertThat(output).containsOnlyOnce("was still not published when the window reached its ceiling");
	}

	@Test
	void whenTheApiServerForbidsTheWatchThenTheWindowFallsBackToItsFloorWithOneWarning(CapturedOutput output)
			throws InterruptedException {
		this.apiServer.answerListWith(403);

		Drain drain = startDrain(FALLBACK_FLOOR, Duration.ofSeconds(30));

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FLOOR);
		assertThat(drain.endpointRemoval()).isNull();
		assertThat(output).containsOnlyOnce("HTTP 403").containsOnlyOnce("kind: Role");
		assertThat(output).contains("The window falls back to its floor of 1s");
	}

	@Test
	void whenTheApiServerCannotBeReachedThenTheWindowFallsBackToItsFloor(CapturedOutput output)
			throws IOException, InterruptedException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}

		Drain drain = startDrain(URI.create("http://127.0.0.1:" + closedPort), FALLBACK_FLOOR, Duration.ofSeconds(30));

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FLOOR);
		assertThat(output).containsOnlyOnce("cannot be reached");
	}

	@Test
	void whenTheWatchHangsThenTheWindowFallsBackToItsFloor(CapturedOutput output) throws InterruptedException {
		this.apiServer.hangWatches();
		this.requestTimeout = Duration.ofMillis(500);

		Drain drain = startDrain(FALLBACK_FLOOR, Duration.ofSeconds(30));

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FLOOR);
		assertThat(output).containsOnlyOnce("did not answer the watch");
	}

	@Test
	void whenTheApiServerSendsNonsenseThenTheWindowFallsBackToItsFloor(CapturedOutput output)
			throws InterruptedException {
		Drain drain = startDrain(FALLBACK_FLOOR, Duration.ofSeconds(30));
		awaitWatch();
		this.apiServer.send("<html>502 Bad Gateway</html>");

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FLOOR);
		assertThat(output).containsOnlyOnce("malformed JSON");
	}

	@Test
	void whenAWatchFailsToStartThenTheWindowFallsBackToItsFloor(CapturedOutput output) throws InterruptedException {
		Drain drain = startDrain(() -> {
			throw new IllegalStateException("No client");
		});

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FLOOR);
		assertThat(output).contains("The watch of this application's endpoint failed: "
				+ "java.lang.IllegalStateException: No client. The window falls back to its floor of 1s.");
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("brokenResults")
	void whenAWatchGivesNoRemovalTimeThenTheWindowFallsBackToItsFloor(String broken,
			Supplier<CompletableFuture<Long>> result, CapturedOutput output) throws InterruptedException {
		Drain drain = startDrain(result);

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(20))).isTrue();
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FLOOR);
		assertThat(Duration.between(drain.startedAt(), drain.timeline().get(0).endedAt()))
			.isGreaterThanOrEqualTo(FALLBACK_FLOOR);
		assertThat(output).contains("The window falls back to its floor of 1s.");
	}

	static Stream<Arguments> brokenResults() {
		Supplier<CompletableFuture<Long>> none = () -> null;
		Supplier<CompletableFuture<Long>> withoutATime = () -> CompletableFuture.completedFuture(null);
		Supplier<CompletableFuture<Long>> cancelled = () -> {
			CompletableFuture<Long> result = new CompletableFuture<>();
			result.cancel(false);
			return result;
		};
		return Stream.of(Arguments.of("no result", none), Arguments.of("a result without a time", withoutATime),
				Arguments.of("a cancelled result", cancelled));
	}

	private void awaitWatch() {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.apiServer.openWatches() > 0);
	}

	/**
	 * Starts a drain whose window's watch of the application's own is started by the
	 * given supplier.
	 */
	private Drain startDrain(Supplier<CompletableFuture<Long>> start) {
		EndpointRemovalWatch watch = new EndpointRemovalWatch() {

			@Override
			public CompletableFuture<Long> start() {
				return start.get();
			}

			@Override
			public Duration tail() {
				return TAIL;
			}

		};
		EndpointAwarePropagationWindow window = new EndpointAwarePropagationWindow(FALLBACK_FLOOR, QUIET_PERIOD,
				Duration.ofSeconds(30), this.activity, watch);
		return new DrainCoordinator(window, List::of, Clock.systemUTC()).startDrain(DrainTrigger.APPLICATION);
	}

	private Drain startDrain(Duration fallbackFloor, Duration ceiling) {
		return startDrain(this.apiServer.url(), fallbackFloor, ceiling);
	}

	private Drain startDrain(URI url, Duration fallbackFloor, Duration ceiling) {
		return startDrain(url, fallbackFloor, QUIET_PERIOD, ceiling);
	}

	private Drain startDrain(URI url, Duration fallbackFloor, Duration quietPeriod, Duration ceiling) {
		ApiServer server = new ApiServer(url, this.directory.resolve("token"), this.directory.resolve("ca.crt"),
				this.requestTimeout);
		EndpointSliceWatch watch = new EndpointSliceWatch(server, this.directory.resolve("namespace"),
				FakeApiServer.POD, null, TAIL);
		EndpointAwarePropagationWindow window = new EndpointAwarePropagationWindow(fallbackFloor, quietPeriod, ceiling,
				this.activity, watch);
		return new DrainCoordinator(window, List::of, Clock.systemUTC()).startDrain(DrainTrigger.APPLICATION);
	}

}
