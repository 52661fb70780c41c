package io.github.gracefulshutdown.task;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.PhaseTiming;
import io.github.gracefulshutdown.test.TaskTestApplication;
import io.github.gracefulshutdown.test.TaskTestApplication.Jobs;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Awaits long-running tasks when a real embedded server is closed the way SIGTERM closes
 * it: from another thread.
 */
@ExtendWith(OutputCaptureExtension.class)
class TaskDrainServerTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<Jobs> jobs = new ArrayList<>();

	private final HttpClient client = HttpClient.newHttpClient();

	@AfterEach
	void releaseJobsAndCloseContexts() {
		this.jobs.forEach(Jobs::release);
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aTaskRunningAtCloseIsAwaitedWithinTheInFlightDeadline(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server);
		Jobs jobs = context.getBean(Jobs.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		assertThat(post(context, "/jobs?name=transcode")).isEqualTo(202);
		await().until(() -> jobs.started() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		awaitPhase(coordinator, DrainPhase.TASK_DRAIN);
		assertStillClosing(close);
		jobs.release();
		close.get(30, TimeUnit.SECONDS);
		assertThat(jobs.finished()).isOne();
		Drain drain = coordinator.drain().orElseThrow();
		assertThat(drain.timeline()).extracting(PhaseTiming::phase)
			.containsSubsequence(DrainPhase.IN_FLIGHT_DRAIN, DrainPhase.TASK_DRAIN);
		assertThat(stats.getCompletedDuringDrain()).isOne();
		assertThat(stats.getCutOff()).isZero();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void withATimeoutOfItsOwnATaskIsAwaitedAfterTheInFlightDrain(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.tasks.timeout=10s");
		Jobs jobs = context.getBean(Jobs.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		assertThat(post(context, "/jobs?name=transcode")).isEqualTo(202);
		await().until(() -> jobs.started() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		awaitPhase(coordinator, DrainPhase.TASK_DRAIN);
		assertStillClosing(close);
		jobs.release();
		close.get(30, TimeUnit.SECONDS);
		Drain drain = coordinator.drain().orElseThrow();
		PhaseTiming inFlight = drain.timing(DrainPhase.IN_FLIGHT_DRAIN);
		PhaseTiming tasks = drain.timing(DrainPhase.TASK_DRAIN);
		assertThat(inFlight.endedAt()).isNotNull();
		assertThat(tasks.startedAt()).isAfterOrEqualTo(inFlight.endedAt());
		assertThat(stats.getCompletedDuringDrain()).isOne();
		assertThat(stats.getCutOff()).isZero();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aTaskThatOutlivesTheInFlightDeadlineIsReportedAndDoesNotHoldTheClose(TestServer server, CapturedOutput output)
			throws Exception {
		Duration gracePeriod = Duration.ofSeconds(10);
		ConfigurableApplicationContext context = start(server, "spring.lifecycle.timeout-per-shutdown-phase=500ms",
				"graceful-shutdown.termination-grace-period=" + gracePeriod.toSeconds() + "s");
		Jobs jobs = context.getBean(Jobs.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		assertThat(post(context, "/jobs?name=transcode&stubborn=true")).isEqualTo(202);
		await().until(() -> jobs.started() == 1);
		long start = System.nanoTime();

		context.close();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(gracePeriod);
		assertThat(jobs.finished()).isZero();
		assertThat(stats.getCutOff()).isOne();
		assertThat(output)
			.contains("The task drain reached its deadline with 1 long-running task: transcode (running for")
			.contains("Set graceful-shutdown.tasks.timeout to give them a budget of their own");
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aTaskThatOutlivesItsOwnTimeoutIsReportedAndDoesNotHoldTheClose(TestServer server, CapturedOutput output)
			throws Exception {
		Duration gracePeriod = Duration.ofSeconds(12);
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.tasks.timeout=500ms",
				"graceful-shutdown.termination-grace-period=" + gracePeriod.toSeconds() + "s");
		Jobs jobs = context.getBean(Jobs.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		assertThat(post(context, "/jobs?name=transcode&stubborn=true")).isEqualTo(202);
		await().until(() -> jobs.started() == 1);
		long start = System.nanoTime();

		context.close();

		Duration closing = Duration.ofNanos(System.nanoTime() - start);
		assertThat(closing).isGreaterThanOrEqualTo(Duration.ofMillis(500)).isLessThan(gracePeriod);
		assertThat(stats.getCutOff()).isOne();
		assertThat(output)
			.contains("The task drain reached its deadline with 1 long-running task: transcode (running for")
			.contains("Raise graceful-shutdown.tasks.timeout");
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void asyncMethodsAreAwaitedWithoutCodeChanges(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server);
		Jobs jobs = context.getBean(Jobs.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
		assertThat(post(context, "/async-jobs")).isEqualTo(202);
		await().until(() -> jobs.started() == 1);
		assertThat(tasks.snapshot()).extracting(ActiveTask::name).containsExactly("applicationTaskExecutor");

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		awaitPhase(coordinator, DrainPhase.TASK_DRAIN);
		assertStillClosing(close);
		jobs.release();
		close.get(30, TimeUnit.SECONDS);
		assertThat(jobs.finished()).isOne();
		assertThat(jobs.interrupted()).isZero();
		assertThat(stats.getCutOff()).isZero();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aTaskThatTheLastRequestStartsIsAwaited(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server);
		Jobs jobs = context.getBean(Jobs.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		CompletableFuture<HttpResponse<String>> request = this.client.sendAsync(
				HttpRequest.newBuilder(uri(context, "/request-then-job")).build(),
				HttpResponse.BodyHandlers.ofString());
		await().until(() -> jobs.requestsEntered() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		awaitPhase(coordinator, DrainPhase.IN_FLIGHT_DRAIN);
		jobs.releaseRequests();
		assertThat(request.get(30, TimeUnit.SECONDS).body()).isEqualTo("job started");
		await().until(() -> jobs.started() == 1);
		assertStillClosing(close);
		jobs.release();
		close.get(30, TimeUnit.SECONDS);
		assertThat(jobs.finished()).isOne();
		assertThat(stats.getCutOff()).isZero();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void anExecutorTaskCutOffAtTheDeadlineIsNotAwaitedAgainWhenTheExecutorStops(TestServer server,
			CapturedOutput output) throws Exception {
		Duration executorPhaseTimeout = Duration.ofSeconds(15);
		ConfigurableApplicationContext context = start(server, "graceful-shutdown.tasks.timeout=500ms",
				"spring.lifecycle.timeout-per-shutdown-phase=" + executorPhaseTimeout.toSeconds() + "s",
				"graceful-shutdown.termination-grace-period=30s");
		Jobs jobs = context.getBean(Jobs.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		assertThat(post(context, "/async-jobs?stubborn=true")).isEqualTo(202);
		await().until(() -> jobs.started() == 1);
		long start = System.nanoTime();

		context.close();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(executorPhaseTimeout);
		assertThat(stats.getCutOff()).isOne();
		assertThat(output).contains("1 long-running task: applicationTaskExecutor (running for");
	}

	/**
	 * The executors' stop is the same on every server. With a task timeout of its own,
	 * the task drain's allotment must not be taken from that stop once more: the budget
	 * below leaves 2.5 s after that allotment, less than the 3 s the executor's task is
	 * then held for, and 12 s until the deadline.
	 */
	@ParameterizedTest
	@CsvSource({ "200,", "3000, 9500ms" })
	void anExecutorWhoseTasksTheDrainDoesNotCountStillWaitsForThemWhenItStops(long heldMillis,
			@Nullable String taskTimeout) throws Exception {
		String[] properties = (taskTimeout != null) ? new String[] { "graceful-shutdown.tasks.timeout=" + taskTimeout,
				"graceful-shutdown.termination-grace-period=14s" } : new String[0];
		ConfigurableApplicationContext context = start(TestServer.TOMCAT, OwnDecoratorExecutorConfiguration.class,
				properties);
		ThreadPoolTaskExecutor executor = context.getBean("reportExecutor", ThreadPoolTaskExecutor.class);
		Jobs jobs = context.getBean(Jobs.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		executor.execute(() -> jobs.work(false));
		await().until(() -> jobs.started() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await("the executor's lifecycle phase").until(() -> !executor.isRunning());
		await("the close waits for the executor's task").during(Duration.ofMillis(heldMillis))
			.atMost(Duration.ofSeconds(5))
			.until(() -> !close.isDone());
		jobs.release();

		close.get(30, TimeUnit.SECONDS);
		assertThat(jobs.finished()).isOne();
		assertThat(jobs.interrupted()).isZero();
		assertThat(stats.getCutOff()).isZero();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void theActiveTaskMeterGoesUpAndDownWithTheWorkInPrometheus(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server);
		Jobs jobs = context.getBean(Jobs.class);
		assertThat(scrape(context)).contains("graceful_shutdown_tasks_active 0.0");

		assertThat(post(context, "/jobs?name=export")).isEqualTo(202);
		assertThat(post(context, "/async-jobs")).isEqualTo(202);

		await().untilAsserted(() -> assertThat(scrape(context)).contains("graceful_shutdown_tasks_active 2.0"));
		jobs.release();
		await().untilAsserted(() -> assertThat(scrape(context)).contains("graceful_shutdown_tasks_active 0.0")
			.contains("graceful_shutdown_tasks_completed_total 2.0")
			.contains("graceful_shutdown_tasks_queued 0.0")
			.contains("graceful_shutdown_tasks_cut_off_total 0.0"));
	}

	private ConfigurableApplicationContext start(TestServer server, String... properties) {
		return start(server, TaskTestApplication.class, properties);
	}

	private ConfigurableApplicationContext start(TestServer server, Class<?> configuration, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(TaskTestApplication.class)
			.sources(configuration)
			.properties(TestDefaults.PROPERTIES)
			.properties("server.port=0", "server.address=127.0.0.1",
					"management.endpoints.web.exposure.include=health,prometheus", server.selection())
			.properties(properties)
			.run();
		this.contexts.add(context);
		this.jobs.add(context.getBean(Jobs.class));
		return context;
	}

	private int post(ConfigurableApplicationContext context, String path) throws Exception {
		return this.client
			.send(HttpRequest.newBuilder(uri(context, path)).POST(HttpRequest.BodyPublishers.noBody()).build(),
					HttpResponse.BodyHandlers.discarding())
			.statusCode();
	}

	private String scrape(ConfigurableApplicationContext context) throws Exception {
		return this.client
			.send(HttpRequest.newBuilder(uri(context, "/actuator/prometheus")).build(),
					HttpResponse.BodyHandlers.ofString())
			.body();
	}

	private static URI uri(ConfigurableApplicationContext context, String path) {
		return URI.create("http://127.0.0.1:"
				+ context.getEnvironment().getRequiredProperty("local.server.port", Integer.class) + path);
	}

	private static void awaitPhase(DrainCoordinator coordinator, DrainPhase phase) {
		await().until(() -> coordinator.drain().map(Drain::currentPhase).orElse(null) == phase);
	}

	private static void assertStillClosing(CompletableFuture<Void> close) {
		await("the close waits for the task").during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(5))
			.until(() -> !close.isDone());
	}

	/**
	 * An executor built by Spring Boot's builder with a task decorator of its own, which
	 * replaces the composition that counts its tasks.
	 */
	@Configuration(proxyBeanMethods = false)
	static class OwnDecoratorExecutorConfiguration {

		@Bean
		ThreadPoolTaskExecutor reportExecutor(ThreadPoolTaskExecutorBuilder builder) {
			return builder.threadNamePrefix("report-").taskDecorator((task) -> task).build();
		}

	}

}
