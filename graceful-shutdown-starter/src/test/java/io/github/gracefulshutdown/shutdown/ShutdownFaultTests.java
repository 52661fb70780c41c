package io.github.gracefulshutdown.shutdown;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.test.FaultTestApplication;
import io.github.gracefulshutdown.test.ForkedApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Whole shutdowns of an application whose own code misbehaves, in a JVM of its own
 * stopped by a real SIGTERM: whatever the application does, the process ends by itself
 * before the termination grace period, and the drain's report is written.
 */
class ShutdownFaultTests {

	private static final int SIGTERM_EXIT_STATUS = 143;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenDrainListenersStallAndThrowThenTheDrainGoesOnAndTheProcessExitsBeforeTheGracePeriod() throws Exception {
		Duration gracePeriod = Duration.ofSeconds(10);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=1s",
				"--fault.drain-started-listener-stall=60s", "--fault.throwing-drain-started-listener=true")) {
			application.awaitPort();

			application.sigterm();

			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.exitValue()).isEqualTo(SIGTERM_EXIT_STATUS);
			assertThat(application.output()).contains("Deregistering from a registry that does not answer")
				.containsPattern("Drain listener .*StallingDrainStartedListener.* was still running in drainStarted")
				.containsPattern("Drain listener .*ThrowingDrainStartedListener.* failed in drainStarted")
				.contains("Drain report: {\"trigger\":\"CONTEXT_CLOSE\"");
		}
	}

	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenALifecyclePhaseOverrunsAndARequestNeverEndsThenTheProcessStillExitsBeforeTheGracePeriod()
			throws Exception {
		Duration gracePeriod = Duration.ofSeconds(7);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=1s",
				"--fault.lifecycle-stop-stall=4s")) {
			CompletableFuture<HttpResponse<String>> never = startRequestThatNeverEnds(application);

			application.sigterm();

			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.output()).contains("Slow lifecycle stopping")
				.contains("still in flight at the in-flight deadline")
				.contains("Drain report: {\"trigger\":\"CONTEXT_CLOSE\"");
			never.cancel(true);
		}
	}

	/**
	 * The task drain has a phase and a timeout of its own; a phase before it took longer
	 * than planned, so that timeout would reach past the shutdown's deadline.
	 */
	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenALifecyclePhaseOverrunsThenATaskThatNeverEndsIsGivenUpAtTheDeadlineForTheBeansToBeDestroyed()
			throws Exception {
		Duration gracePeriod = Duration.ofSeconds(10);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=1s",
				"--graceful-shutdown.safety-margin=4s", "--graceful-shutdown.tasks.timeout=2s",
				"--fault.lifecycle-stop-stall=6s", "--fault.task-that-never-ends=true", "--fault.destroy-stall=0s")) {
			application.awaitLog(Pattern.compile("Task that never ends began"), Duration.ofSeconds(60));

			application.sigterm();

			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.output()).contains("Slow lifecycle stopping")
				.contains("Waiting for long-running tasks at most")
				.contains("Slow bean destruction")
				.doesNotContain("ending the process now");
		}
	}

	/**
	 * The thread creating the listener holds Spring's lock on singletons: the close must
	 * not need it before the beans are destroyed.
	 */
	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenCreatingADrainListenerHangsThenTheInFlightDrainStillRunsAndTheProcessExitsBeforeTheGracePeriod()
			throws Exception {
		Duration gracePeriod = Duration.ofSeconds(8);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=1s",
				"--fault.drain-listener-creation-hangs=true")) {
			CompletableFuture<HttpResponse<String>> never = startRequestThatNeverEnds(application);

			application.sigterm();

			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.output()).contains("Creating a drain listener that hangs")
				.contains("The drain's listeners were still being created")
				.contains("still in flight at the in-flight deadline");
			never.cancel(true);
		}
	}

	/**
	 * The lifecycle processor gives each phase without a timeout of its own the same
	 * timeout: two phases that wait it out in full would each take what was left.
	 */
	@ParameterizedTest(name = "lazy initialization: {0}")
	@ValueSource(booleans = { false, true })
	@Execution(ExecutionMode.CONCURRENT)
	void whenTwoLifecyclePhasesNeverFinishStoppingThenTheSecondGetsWhatTheFirstLeftForTheBeansToBeDestroyed(
			boolean lazyInitialization) throws Exception {
		Duration gracePeriod = Duration.ofSeconds(10);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=1s",
				"--graceful-shutdown.safety-margin=4s", "--fault.unanswered-stops=true", "--fault.destroy-stall=0s",
				"--spring.main.lazy-initialization=" + lazyInitialization)) {
			application.awaitPort();

			application.sigterm();

			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.output()).contains("Lifecycle of phase 2147483547 stopping without an answer")
				.contains("Lifecycle of phase 2147483447 stopping without an answer")
				.contains("Slow bean destruction")
				.doesNotContain("ending the process now");
		}
	}

	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenARequestNeverEndsThenTheWebServerStopsInTimeForTheBeansToBeDestroyedBeforeTheWatchdog() throws Exception {
		Duration gracePeriod = Duration.ofSeconds(8);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=1s",
				"--graceful-shutdown.safety-margin=4s", "--fault.destroy-stall=0s")) {
			CompletableFuture<HttpResponse<String>> never = startRequestThatNeverEnds(application);

			application.sigterm();

			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.output()).contains("still in flight at the in-flight deadline")
				.contains("Slow bean destruction")
				.doesNotContain("ending the process now");
			never.cancel(true);
		}
	}

	/**
	 * The application logs through an asynchronous appender that is slow to write: what
	 * the watchdog logs, the report among it, must still be written before the JVM halts.
	 */
	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenBeanDestructionHangsThenTheProcessEndsItselfBeforeTheGracePeriodWithItsReport() throws Exception {
		Duration gracePeriod = Duration.ofSeconds(5);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=1s",
				"--fault.destroy-stall=60s", "--logging.config=classpath:async-logback.xml")) {
			application.awaitPort();

			application.sigterm();

			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.exitValue()).isEqualTo(SIGTERM_EXIT_STATUS);
			assertThat(application.output()).contains("Slow bean destruction")
				.contains("ending the process now, before it is killed")
				.contains("Drain report: {\"trigger\":\"CONTEXT_CLOSE\"");
		}
	}

	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenSigtermArrivesDuringASlowRunnerThenReadinessStaysDownAfterTheRunnerFinishes() throws Exception {
		try (ForkedApplication application = start(Duration.ofSeconds(30), "--graceful-shutdown.delay=6s",
				"--fault.runner-stall=2s")) {
			int port = application.awaitPort();
			application.awaitLog(Pattern.compile("Runner started"), Duration.ofSeconds(30));

			application.sigterm();
			application.awaitLog(Pattern.compile("Drain started by CONTEXT_CLOSE"), Duration.ofSeconds(10));
			application.awaitLog(Pattern.compile("Runner finished"), Duration.ofSeconds(10));

			await().during(Duration.ofSeconds(2))
				.atMost(Duration.ofSeconds(4))
				.until(() -> status(port, "/actuator/health/readiness") == 503);
			assertThat(status(port, "/actuator/health/liveness")).isEqualTo(200);
			assertThat(status(port, "/hello")).isEqualTo(200);
			application.awaitExit(Duration.ofSeconds(30));
			assertThat(application.output()).contains("published ACCEPTING_TRAFFIC while the application drains");
		}
	}

	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenSigtermArrivesTwiceThenTheSecondJoinsTheOneDrain() throws Exception {
		Duration gracePeriod = Duration.ofSeconds(10);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=3s")) {
			int port = application.awaitPort();

			application.sigterm();
			application.awaitLog(Pattern.compile("Drain started by CONTEXT_CLOSE"), Duration.ofSeconds(10));
			application.sigterm();

			assertThat(status(port, "/hello")).isEqualTo(200);
			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.exitValue()).isEqualTo(SIGTERM_EXIT_STATUS);
			assertThat(application.output().split("Drain started by")).hasSize(2);
			assertThat(application.output().split("Drain report:")).hasSize(2);
		}
	}

	@Test
	@Execution(ExecutionMode.CONCURRENT)
	void whenSigtermArrivesDuringStartupThenTheProcessExitsByItselfBeforeTheGracePeriod() throws Exception {
		Duration gracePeriod = Duration.ofSeconds(20);
		try (ForkedApplication application = start(gracePeriod, "--graceful-shutdown.delay=1s",
				"--fault.startup-stall=2s")) {
			application.awaitLog(Pattern.compile("Slow bean starting"), Duration.ofSeconds(60));

			application.sigterm();

			assertThat(application.awaitExit(gracePeriod.plusSeconds(20))).isLessThan(gracePeriod);
			assertThat(application.exitValue()).isEqualTo(SIGTERM_EXIT_STATUS);
		}
	}

	private CompletableFuture<HttpResponse<String>> startRequestThatNeverEnds(ForkedApplication application) {
		int port = application.awaitPort();
		CompletableFuture<HttpResponse<String>> never = this.client.sendAsync(request(port, "/never"),
				HttpResponse.BodyHandlers.ofString());
		application.awaitLog(Pattern.compile("GET \"/never\""), Duration.ofSeconds(10));
		return never;
	}

	private ForkedApplication start(Duration gracePeriod, String... arguments) throws IOException {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--spring.main.cloud-platform=kubernetes", "--management.endpoint.health.probes.enabled=true",
				"--management.endpoints.web.exposure.include=health", "--graceful-shutdown.termination-message-path=",
				"--graceful-shutdown.websocket.enabled=false",
				"--graceful-shutdown.termination-grace-period=" + gracePeriod.toSeconds() + "s",
				"--logging.level.org.springframework.web.servlet.DispatcherServlet=debug"));
		all.addAll(List.of(arguments));
		return ForkedApplication.start(FaultTestApplication.class, Map.of(), all.toArray(String[]::new));
	}

	private int status(int port, String path) throws IOException, InterruptedException {
		return this.client.send(request(port, path), HttpResponse.BodyHandlers.discarding()).statusCode();
	}

	private static HttpRequest request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.timeout(Duration.ofSeconds(30))
			.build();
	}

}
