package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Awaits the long-running tasks of an application that runs its {@code @Async} and
 * {@code @Scheduled} work on virtual threads
 * ({@code spring.threads.virtual.enabled=true}): Spring Boot then builds a
 * {@link SimpleAsyncTaskExecutor} and a {@link SimpleAsyncTaskScheduler}, which runs
 * fixed-delay tasks on its own scheduler thread rather than through {@code execute}.
 * Virtual threads need Java 21; the same scheduler on platform threads is checked on
 * every Java version.
 */
@ExtendWith(OutputCaptureExtension.class)
class VirtualThreadTaskDrainTests {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<Work> work = new ArrayList<>();

	@AfterEach
	void releaseWorkAndCloseContexts() {
		this.work.forEach(Work::release);
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

	@ParameterizedTest
	@EnumSource(Job.class)
	@EnabledForJreRange(min = JRE.JAVA_21)
	void whenVirtualThreadsAreEnabledThenATaskRunningAtCloseIsCountedAndAwaited(Job job) throws Exception {
		ConfigurableApplicationContext context = startOnVirtualThreads(job, "graceful-shutdown.tasks.timeout=10s");

		assertTaskCountedAndAwaited(context, job);
	}

	@ParameterizedTest
	@EnumSource(Job.class)
	@EnabledForJreRange(min = JRE.JAVA_21)
	void whenVirtualThreadsAreEnabledThenATaskStillRunningAtTheDeadlineIsNamed(Job job, CapturedOutput output) {
		Duration executorPhaseTimeout = Duration.ofSeconds(15);
		ConfigurableApplicationContext context = startOnVirtualThreads(job, "work.stubborn=true",
				"graceful-shutdown.tasks.timeout=1s",
				"spring.lifecycle.timeout-per-shutdown-phase=" + executorPhaseTimeout.toSeconds() + "s");
		Work work = context.getBean(Work.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		await().until(() -> work.started() == 1);
		long start = System.nanoTime();

		context.close();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(executorPhaseTimeout);
		assertThat(work.finished()).isZero();
		assertThat(stats.getCutOff()).isOne();
		assertThat(output).contains(
				"The task drain reached its deadline with 1 long-running task: " + job.taskName + " (running for");
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void whenVirtualThreadsAreEnabledThenStartupWarnsThatFixedDelayTasksScheduledDirectlyAreNotAwaited(
			CapturedOutput output) {
		startOnVirtualThreads(Job.FIXED_RATE);

		assertThat(output).contains("WARN")
			.contains("Fixed-delay tasks that application code schedules on SimpleAsyncTaskScheduler "
					+ "'taskScheduler' itself (scheduleWithFixedDelay) are neither counted nor awaited during the drain")
			.contains("spring.threads.virtual.enabled");
	}

	@Test
	void whenASimpleAsyncTaskSchedulerRunsOnPlatformThreadsThenItsFixedDelayTasksAreCountedAndAwaited()
			throws Exception {
		ConfigurableApplicationContext context = start(
				new Class<?>[] { FixedDelayJob.class, PlatformThreadScheduler.class }, false,
				"graceful-shutdown.tasks.timeout=10s");
		assertThat(context.getBean("taskScheduler")).isInstanceOf(SimpleAsyncTaskScheduler.class);

		assertTaskCountedAndAwaited(context, Job.FIXED_DELAY);
	}

	private void assertTaskCountedAndAwaited(ConfigurableApplicationContext context, Job job) throws Exception {
		Work work = context.getBean(Work.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		await().until(() -> work.started() == 1);
		assertCountedAsTheOnlyTask(context, job);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		await().until(() -> coordinator.drain().map(Drain::currentPhase).orElse(null) == DrainPhase.TASK_DRAIN);
		await("the close waits for the task").during(Duration.ofMillis(200))
			.atMost(Duration.ofSeconds(5))
			.until(() -> !close.isDone());
		assertCountedAsTheOnlyTask(context, job);
		work.release();
		close.get(30, TimeUnit.SECONDS);
		assertThat(work.finished()).isOne();
		assertThat(work.interrupted()).isZero();
		assertThat(stats.getCompletedDuringDrain()).isPositive();
		assertThat(stats.getCutOff()).isZero();
	}

	private static void assertCountedAsTheOnlyTask(ConfigurableApplicationContext context, Job job) {
		LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		await().untilAsserted(() -> {
			assertThat(tasks.snapshot()).extracting(ActiveTask::name).containsExactly(job.taskName);
			assertThat(stats.getActiveTasks()).isOne();
			assertThat(registry.get("graceful.shutdown.tasks.active").gauge().value()).isOne();
		});
	}

	private ConfigurableApplicationContext startOnVirtualThreads(Job job, String... properties) {
		ConfigurableApplicationContext context = start(job.sources, true, properties);
		assertThat(context.getBean("taskScheduler")).isInstanceOf(SimpleAsyncTaskScheduler.class);
		assertThat(context.getBean("applicationTaskExecutor")).isInstanceOf(SimpleAsyncTaskExecutor.class);
		return context;
	}

	private ConfigurableApplicationContext start(Class<?>[] sources, boolean virtualThreads, String... properties) {
		ConfigurableApplicationContext context = new SpringApplicationBuilder(JobApplication.class).sources(sources)
			.properties(TestDefaults.PROPERTIES)
			.properties("spring.threads.virtual.enabled=" + virtualThreads, "server.port=0", "server.address=127.0.0.1",
					TestServer.TOMCAT.selection())
			.properties(properties)
			.run();
		this.contexts.add(context);
		this.work.add(context.getBean(Work.class));
		return context;
	}

	/**
	 * A kind of work the application schedules or runs asynchronously, and the name its
	 * task has.
	 */
	enum Job {

		FIXED_DELAY(FixedDelayJob.class.getName() + ".run", FixedDelayJob.class),

		FIXED_RATE("taskScheduler", FixedRateJob.class),

		CRON("taskScheduler", CronJob.class),

		ASYNC("applicationTaskExecutor", AsyncJob.class, AsyncJobStarter.class);

		private final String taskName;

		private final Class<?>[] sources;

		Job(String taskName, Class<?>... sources) {
			this.taskName = taskName;
			this.sources = sources;
		}

	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	@EnableScheduling
	@EnableAsync
	@Import(Work.class)
	static class JobApplication {

	}

	/**
	 * Spring Boot's scheduler for virtual threads, built on platform threads.
	 */
	@Configuration(proxyBeanMethods = false)
	static class PlatformThreadScheduler {

		@Bean
		SimpleAsyncTaskScheduler taskScheduler(SimpleAsyncTaskSchedulerBuilder builder) {
			return builder.build();
		}

	}

	/**
	 * The work every job does, once: wait until the test releases it.
	 */
	static class Work {

		private static final long LONGEST_NANOS = TimeUnit.SECONDS.toNanos(60);

		private final boolean stubborn;

		private final AtomicBoolean claimed = new AtomicBoolean();

		private final CountDownLatch release = new CountDownLatch(1);

		private final AtomicInteger started = new AtomicInteger();

		private final AtomicInteger finished = new AtomicInteger();

		private final AtomicInteger interrupted = new AtomicInteger();

		Work(@Value("${work.stubborn:false}") boolean stubborn) {
			this.stubborn = stubborn;
		}

		/**
		 * Works until released, or for at most a minute, on the first call only; later
		 * calls return at once.
		 */
		void runOnce() {
			if (!this.claimed.compareAndSet(false, true)) {
				return;
			}
			this.started.incrementAndGet();
			long deadline = System.nanoTime() + LONGEST_NANOS;
			while (this.release.getCount() > 0 && System.nanoTime() < deadline) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
				if (!this.stubborn && Thread.interrupted()) {
					this.interrupted.incrementAndGet();
					return;
				}
			}
			this.finished.incrementAndGet();
		}

		void release() {
			this.release.countDown();
		}

		int started() {
			return this.started.get();
		}

		int finished() {
			return this.finished.get();
		}

		int interrupted() {
			return this.interrupted.get();
		}

	}

	static class FixedDelayJob {

		private final Work work;

		FixedDelayJob(Work work) {
			this.work = work;
		}

		@Scheduled(fixedDelay = 100, timeUnit = TimeUnit.MILLISECONDS)
		void run() {
			this.work.runOnce();
		}

	}

	static class FixedRateJob {

		private final Work work;

		FixedRateJob(Work work) {
			this.work = work;
		}

		@Scheduled(fixedRate = 100, timeUnit = TimeUnit.MILLISECONDS)
		void run() {
			this.work.runOnce();
		}

	}

	static class CronJob {

		private final Work work;

		CronJob(Work work) {
			this.work = work;
		}

		@Scheduled(cron = "* * * * * *")
		void run() {
			this.work.runOnce();
		}

	}

	static class AsyncJob {

		private final Work work;

		AsyncJob(Work work) {
			this.work = work;
		}

		@Async
		public void run() {
			this.work.runOnce();
		}

	}

	/**
	 * Starts the {@code @Async} job once the application has started.
	 */
	static class AsyncJobStarter implements ApplicationRunner {

		private final AsyncJob job;

		AsyncJobStarter(AsyncJob job) {
			this.job = job;
		}

		@Override
		public void run(ApplicationArguments args) {
			this.job.run();
		}

	}

}
