package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.DrainPhaseBoundary;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.report.DrainReport;
import io.github.gracefulshutdown.report.DrainReportContributor;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskDrainAutoConfiguration}.
 */
class TaskDrainAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				TaskDrainAutoConfiguration.class, LifecycleAutoConfiguration.class));

	@Test
	void whenTheApplicationDrainsThenItsTasksAreAwaitedInTheWebServersGracefulPhase() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(LongRunningTasks.class)
				.hasSingleBean(TaskDrainStats.class)
				.hasBean("taskDeadlineReporter")
				.hasSingleBean(ExecutorTaskCoverage.class)
				.hasSingleBean(SharedTaskRegisteringDecorator.class)
				.hasSingleBean(BuilderBuiltExecutors.class)
				.hasSingleBean(FixedDelayTaskCoverage.class)
				.doesNotHaveBean(TaskPhaseTimeoutPostProcessor.class);
			assertThat(context.getBean(TaskDrainLifecycle.class).getPhase())
				.isEqualTo(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE);
			assertThat(context.getBean("taskDeadlineReporter", DrainPhaseBoundary.class).getPhase())
				.isLessThan(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 1);
			assertThat(context.getBean(DrainBudget.class).allotments()).extracting(DrainBudget.Allotment::step)
				.doesNotContain("task drain");
		});
	}

	@Test
	void whenTheDrainIsDisabledThenTheRegistryIsStillThereForTheApplicationsCode() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(LongRunningTasks.class)
				.doesNotHaveBean(TaskDrainStats.class)
				.doesNotHaveBean(TaskDrainLifecycle.class)
				.doesNotHaveBean(ExecutorTaskCoverage.class)
				.doesNotHaveBean(SharedTaskRegisteringDecorator.class));
	}

	@Test
	void whenNotAWebApplicationThenOnlyTheRegistryIsThere() {
		new ApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(
					AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, TaskDrainAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(LongRunningTasks.class)
				.doesNotHaveBean(TaskDrainStats.class)
				.doesNotHaveBean(ExecutorTaskCoverage.class));
	}

	@Test
	void withoutSpringBootsWebServerModuleTheRegistryIsStillThere() {
		new ApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(TaskDrainAutoConfiguration.class))
			.withClassLoader(new FilteredClassLoader(WebServerApplicationContext.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(LongRunningTasks.class)
				.doesNotHaveBean(TaskDrainStats.class));
	}

	@Test
	void whenTheApplicationDefinesItsOwnRegistryThenItIsUsed() {
		LongRunningTasks own = new LongRunningTasks();
		this.runner.withBean("ownTasks", LongRunningTasks.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(LongRunningTasks.class);
			try (RunningTask job = own.begin("job")) {
				assertThat(context.getBean(TaskDrainStats.class).getActiveTasks()).isOne();
			}
		});
	}

	@Test
	void propertiesBind() {
		this.runner
			.withPropertyValues("graceful-shutdown.tasks.timeout=90s",
					"graceful-shutdown.tasks.executors.enabled=false", "graceful-shutdown.termination-grace-period=2m")
			.run((context) -> {
				TaskDrainProperties properties = context.getBean(TaskDrainProperties.class);
				assertThat(properties.getTimeout()).isEqualTo(Duration.ofSeconds(90));
				assertThat(properties.getExecutors().isEnabled()).isFalse();
			});
	}

	@Test
	void whenTheTimeoutIsSetThenTasksGetAPhaseAndABudgetOfTheirOwn() {
		this.runner.withPropertyValues("graceful-shutdown.tasks.timeout=20s", "graceful-shutdown.delay=0s")
			.run((context) -> {
				assertThat(context.getBean(TaskDrainLifecycle.class).getPhase())
					.isEqualTo(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 2);
				assertThat(context.getBean("taskDeadlineReporter", DrainPhaseBoundary.class).getPhase())
					.isEqualTo(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 3);
				DrainBudget budget = context.getBean(DrainBudget.class);
				assertThat(budget.allotments()).contains(new DrainBudget.Allotment("task drain",
						"graceful-shutdown.tasks.timeout", Duration.ofSeconds(20), true));
				assertThat(budget.inFlightTimeout()).isEqualTo(Duration.ofSeconds(6));
				assertThat(shutdownPhaseTimeouts(context))
					.containsEntry(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 2, 20_000L);
			});
	}

	@Test
	void whenTheTimeoutHasNoUnitThenItIsSeconds() {
		this.runner.withPropertyValues("graceful-shutdown.tasks.timeout=20", "graceful-shutdown.delay=0s")
			.run((context) -> {
				assertThat(context.getBean(TaskDrainProperties.class).getTimeout()).isEqualTo(Duration.ofSeconds(20));
				assertThat(context.getBean(DrainBudget.class).allotments()).contains(new DrainBudget.Allotment(
						"task drain", "graceful-shutdown.tasks.timeout", Duration.ofSeconds(20), true));
				assertThat(shutdownPhaseTimeouts(context))
					.containsEntry(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 2, 20_000L);
			});
	}

	@Test
	void whenTheTimeoutIsNegativeThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("graceful-shutdown.tasks.timeout=-1s")
			.run((context) -> assertFailure(context, "graceful-shutdown.tasks.timeout is -1s",
					"Set graceful-shutdown.tasks.timeout to zero or a positive duration"));
	}

	@Test
	void whenTheTimeoutLeavesNoTimeForRequestsInFlightThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("graceful-shutdown.tasks.timeout=28s")
			.run((context) -> assertFailure(context, "these steps leave no time for requests in flight",
					"Shorten graceful-shutdown.delay or graceful-shutdown.listener-timeout or graceful-shutdown.tasks.timeout"));
	}

	@Test
	void whenTheTimeoutAndAnExplicitInFlightTimeoutExceedTheGracePeriodThenStartupFails() {
		this.runner
			.withPropertyValues("graceful-shutdown.tasks.timeout=15s",
					"spring.lifecycle.timeout-per-shutdown-phase=20s")
			.run((context) -> assertFailure(context,
					"the drain needs 39s but graceful-shutdown.termination-grace-period is 30s",
					"Shorten the steps above by 9s in total"));
	}

	@Test
	void whenExecutorCoverageIsDisabledThenExecutorsAreLeftAlone() {
		this.runner.withPropertyValues("graceful-shutdown.tasks.executors.enabled=false")
			.withUserConfiguration(UserExecutorConfiguration.class)
			.run((context) -> {
				assertThat(context).doesNotHaveBean(ExecutorTaskCoverage.class)
					.doesNotHaveBean(SharedTaskRegisteringDecorator.class)
					.doesNotHaveBean(BuilderBuiltExecutors.class)
					.doesNotHaveBean(FixedDelayTaskCoverage.class)
					.hasSingleBean(TaskDrainStats.class);
				ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
				assertThat(ReflectionTestUtils.getField(executor, "taskDecorator"))
					.isSameAs(context.getBean(CountingDecorator.class));
			});
	}

	@Test
	void aThreadPoolTaskExecutorsTasksCountWhileTheyRunAndItsOwnDecoratorStillApplies() {
		this.runner.withUserConfiguration(UserExecutorConfiguration.class).run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
			LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
			CountDownLatch release = new CountDownLatch(1);

			executor.execute(() -> block(release));

			await().untilAsserted(
					() -> assertThat(tasks.snapshot()).extracting(ActiveTask::name).containsExactly("userExecutor"));
			assertThat(context.getBean(CountingDecorator.class).decorated).hasValue(1);
			release.countDown();
			await().until(() -> tasks.active() == 0 && tasks.completed() == 1);
			assertThat(context.getBean(ExecutorTaskCoverage.class).coveredExecutors()).containsExactly("userExecutor");
		});
	}

	@Test
	void tasksQueuedInAThreadPoolCountAsQueued() {
		this.runner.withUserConfiguration(UserExecutorConfiguration.class).run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
			TaskDrainStats stats = context.getBean(TaskDrainStats.class);
			CountDownLatch release = new CountDownLatch(1);

			executor.execute(() -> block(release));
			executor.execute(() -> block(release));
			executor.execute(() -> block(release));

			await().untilAsserted(() -> {
				assertThat(stats.getActiveTasks()).isOne();
				assertThat(stats.getQueuedTasks()).isEqualTo(2);
			});
			release.countDown();
			await().until(() -> stats.getActiveTasks() == 0 && stats.getQueuedTasks() == 0);
		});
	}

	@Test
	void eachRunOfAScheduledTaskCountsWhileItRuns() {
		this.runner.withBean("userScheduler", ThreadPoolTaskScheduler.class, ThreadPoolTaskScheduler::new)
			.run((context) -> {
				ThreadPoolTaskScheduler scheduler = context.getBean(ThreadPoolTaskScheduler.class);
				LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
				AtomicInteger activeDuringRuns = new AtomicInteger();

				scheduler.scheduleAtFixedRate(() -> activeDuringRuns.addAndGet(tasks.active()), Duration.ofMillis(10));

				await().until(() -> tasks.completed() >= 3);
				assertThat(activeDuringRuns.get()).isGreaterThanOrEqualTo(3);
				assertThat(tasks.active()).isLessThanOrEqualTo(1);
			});
	}

	@Test
	void aSimpleAsyncTaskExecutorsTasksCountWhileTheyRun() {
		this.runner.withBean("userAsyncExecutor", SimpleAsyncTaskExecutor.class, SimpleAsyncTaskExecutor::new)
			.run((context) -> {
				SimpleAsyncTaskExecutor executor = context.getBean(SimpleAsyncTaskExecutor.class);
				LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
				CountDownLatch release = new CountDownLatch(1);

				executor.execute(() -> block(release));

				await().untilAsserted(() -> assertThat(tasks.snapshot()).extracting(ActiveTask::name)
					.containsExactly("userAsyncExecutor"));
				release.countDown();
				await().until(() -> tasks.active() == 0);
			});
	}

	@Test
	void springBootsApplicationTaskExecutorIsCovered() {
		this.runner.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class)).run((context) -> {
			context.getBean("applicationTaskExecutor");
			assertThat(context.getBean(ExecutorTaskCoverage.class).coveredExecutors())
				.containsExactly("applicationTaskExecutor");
		});
	}

	@Test
	void aLibrarysTaskDecoratorThatOnlyBacksOffForAnotherIsStillRegisteredAndApplied() {
		this.runner
			.withConfiguration(AutoConfigurations.of(TaskExecutionAutoConfiguration.class,
					ContextTaskDecoratorAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasBean("contextTaskDecorator");
				ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor",
						ThreadPoolTaskExecutor.class);
				CompletableFuture<String> seen = new CompletableFuture<>();
				ContextTaskDecoratorAutoConfiguration.CONTEXT.set("request-42");
				try {
					executor.execute(() -> seen.complete(ContextTaskDecoratorAutoConfiguration.CONTEXT.get()));
				}
				finally {
					ContextTaskDecoratorAutoConfiguration.CONTEXT.remove();
				}
				assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("request-42");
			});
	}

	@Test
	void aFixedDelayMethodOnACoveredSchedulerCountsOnceUnderTheNameOfTheSchedulerItsQualifierNames() {
		this.runner.withPropertyValues("spring.main.cloud-platform=none")
			.withUserConfiguration(QualifiedFixedDelayConfiguration.class)
			.run((context) -> {
				LongRunningTasks tasks = context.getBean(LongRunningTasks.class);

				await().untilAsserted(() -> assertThat(tasks.snapshot()).extracting(ActiveTask::name)
					.containsExactly("otherScheduler"));
				assertThat(tasks.active()).isOne();
				context.getBean(FixedDelayJob.class).release.countDown();
			});
	}

	@Test
	void whenTheContextClosesThenItWaitsForAnExecutorTaskAndRecordsTheTaskDrain() {
		this.runner.withUserConfiguration(UserExecutorConfiguration.class).run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean(ThreadPoolTaskExecutor.class);
			DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
			TaskDrainStats stats = context.getBean(TaskDrainStats.class);
			List<DrainReportContributor> contributors = context.getBeanProvider(DrainReportContributor.class)
				.orderedStream()
				.toList();
			CountDownLatch release = new CountDownLatch(1);
			executor.execute(() -> block(release));
			await().until(() -> stats.getActiveTasks() == 1);

			CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

			await().until(() -> coordinator.drain().map(Drain::currentPhase).orElse(null) == DrainPhase.TASK_DRAIN);
			await("the close waits for the task").during(Duration.ofMillis(100))
				.atMost(Duration.ofSeconds(5))
				.until(() -> !close.isDone());
			release.countDown();
			close.get(30, TimeUnit.SECONDS);
			Drain drain = coordinator.drain().orElseThrow();
			assertThat(drain.timeline()).extracting("phase")
				.containsExactly(DrainPhase.PROPAGATION_WINDOW, DrainPhase.IN_FLIGHT_DRAIN, DrainPhase.TASK_DRAIN);
			assertThat(stats.getCompletedDuringDrain()).isOne();
			assertThat(stats.getCutOff()).isZero();
			assertThat(DrainReport.of(drain, contributors).fields()).containsEntry("tasksCompletedDuringDrain", 1L)
				.containsEntry("tasksCutOff", 0L)
				.containsKey("taskDrainMillis");
		});
	}

	@Test
	void whenNoTaskRunsAtCloseThenTheTimelineHasNoTaskDrain() {
		this.runner.run((context) -> {
			DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);

			context.close();

			assertThat(coordinator.drain().orElseThrow().timeline()).extracting("phase")
				.containsExactly(DrainPhase.PROPAGATION_WINDOW, DrainPhase.IN_FLIGHT_DRAIN);
		});
	}

	private static void block(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@SuppressWarnings("unchecked")
	private static Map<Integer, Long> shutdownPhaseTimeouts(AssertableWebApplicationContext context) {
		return (Map<Integer, Long>) ReflectionTestUtils.getField(
				context.getBean("lifecycleProcessor", DefaultLifecycleProcessor.class), "timeoutsForShutdownPhases");
	}

	private void assertFailure(AssertableWebApplicationContext context, String description, String action) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(InvalidDrainConfigurationException.class)
			.hasMessageContaining(description);
		Throwable cause = context.getStartupFailure();
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		assertThat(((InvalidDrainConfigurationException) cause).getAction()).contains(action);
	}

	@Configuration(proxyBeanMethods = false)
	static class UserExecutorConfiguration {

		@Bean
		CountingDecorator countingDecorator() {
			return new CountingDecorator();
		}

		@Bean
		ThreadPoolTaskExecutor userExecutor(CountingDecorator decorator) {
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setCorePoolSize(1);
			executor.setMaxPoolSize(1);
			executor.setTaskDecorator(decorator);
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class QualifiedFixedDelayConfiguration {

		@Bean
		SimpleAsyncTaskScheduler taskScheduler() {
			return new SimpleAsyncTaskScheduler();
		}

		@Bean
		ThreadPoolTaskScheduler otherScheduler() {
			return new ThreadPoolTaskScheduler();
		}

		@Bean
		FixedDelayJob fixedDelayJob() {
			return new FixedDelayJob();
		}

	}

	static class FixedDelayJob {

		final CountDownLatch release = new CountDownLatch(1);

		@Scheduled(fixedDelay = 10, timeUnit = TimeUnit.SECONDS, scheduler = "otherScheduler")
		void run() {
			block(this.release);
		}

	}

	static class CountingDecorator implements TaskDecorator {

		final AtomicInteger decorated = new AtomicInteger();

		@Override
		public Runnable decorate(Runnable runnable) {
			return () -> {
				this.decorated.incrementAndGet();
				runnable.run();
			};
		}

	}

	/**
	 * An auto-configuration of a library that carries a context into tasks, and backs off
	 * when the application has a task decorator of its own. Its name sorts after the
	 * starter's.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ContextTaskDecoratorAutoConfiguration {

		static final ThreadLocal<String> CONTEXT = new ThreadLocal<>();

		@Bean
		@ConditionalOnMissingBean(TaskDecorator.class)
		TaskDecorator contextTaskDecorator() {
			return (task) -> {
				String context = CONTEXT.get();
				return () -> {
					CONTEXT.set(context);
					try {
						task.run();
					}
					finally {
						CONTEXT.remove();
					}
				};
			};
		}

	}

}
