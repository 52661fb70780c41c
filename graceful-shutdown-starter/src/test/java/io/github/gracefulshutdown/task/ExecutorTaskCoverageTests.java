package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestThreads;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.Ordered;
import org.springframework.core.PriorityOrdered;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.core.task.TaskRejectedException;
import org.springframework.core.task.support.CompositeTaskDecorator;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ExecutorTaskCoverage} with real executors: those that Spring Boot's
 * builders build, covered through Spring Boot's composition of task decorators, and those
 * the application builds itself, covered through a decorator around their own.
 */
class ExecutorTaskCoverageTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				TaskDrainAutoConfiguration.class, LifecycleAutoConfiguration.class,
				TaskExecutionAutoConfiguration.class, TaskSchedulingAutoConfiguration.class));

	@Test
	void executorsThatSpringBootBuildsKeepTheDecoratorItComposedOfTheApplicationsAndTheStarters() {
		this.runner.withUserConfiguration(PropagatingDecoratorConfiguration.class, SchedulingConfiguration.class)
			.run((context) -> {
				ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor",
						ThreadPoolTaskExecutor.class);
				ThreadPoolTaskScheduler scheduler = context.getBean("taskScheduler", ThreadPoolTaskScheduler.class);
				assertThat(executor).extracting("taskDecorator").isInstanceOf(CompositeTaskDecorator.class);
				assertThat(scheduler).extracting("taskDecorator").isInstanceOf(CompositeTaskDecorator.class);
				assertThat(context.getBean(ExecutorTaskCoverage.class).coveredExecutors())
					.containsExactly("applicationTaskExecutor", "taskScheduler");
			});
	}

	@Test
	void whenTheApplicationHasNoDecoratorOfItsOwnThenSpringBootsExecutorsCarryTheStartersAlone() {
		this.runner.withUserConfiguration(SchedulingConfiguration.class).run((context) -> {
			TaskDecorator starters = context.getBean(TaskDecorator.class);
			assertThat(context.getBean("applicationTaskExecutor")).extracting("taskDecorator").isSameAs(starters);
			assertThat(context.getBean("taskScheduler")).extracting("taskDecorator").isSameAs(starters);
		});
	}

	@Test
	void anAsyncMethodOnSpringBootsExecutorCountsUnderItsNameWithTheApplicationsDecoratorAppliedAndIsAwaited() {
		this.runner.withUserConfiguration(PropagatingDecoratorConfiguration.class, AsyncJobConfiguration.class)
			.run((context) -> {
				Work work = context.getBean(Work.class);
				startAsyncJob(context, "request 42");

				assertAwaitedAtClose(context, "applicationTaskExecutor");
				assertThat(work.context).isEqualTo("request 42");
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void anAsyncMethodOnVirtualThreadsCountsUnderTheExecutorsNameWithTheApplicationsDecoratorAppliedAndIsAwaited() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true")
			.withUserConfiguration(PropagatingDecoratorConfiguration.class, AsyncJobConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean("applicationTaskExecutor")).isInstanceOf(SimpleAsyncTaskExecutor.class);
				Work work = context.getBean(Work.class);
				startAsyncJob(context, "request 42");

				assertAwaitedAtClose(context, "applicationTaskExecutor");
				assertThat(work.context).isEqualTo("request 42");
			});
	}

	@Test
	void aScheduledMethodOnSpringBootsSchedulerCountsUnderItsNameWithTheApplicationsDecoratorAppliedAndIsAwaited() {
		this.runner.withUserConfiguration(PropagatingDecoratorConfiguration.class, ScheduledJobConfiguration.class)
			.run((context) -> {
				PropagatingDecorator decorator = context.getBean(PropagatingDecorator.class);

				assertAwaitedAtClose(context, "taskScheduler");
				assertThat(decorator.runs).hasPositiveValue();
			});
	}

	@Test
	@EnabledForJreRange(min = JRE.JAVA_21)
	void aScheduledMethodOnVirtualThreadsCountsUnderTheSchedulersNameWithTheApplicationsDecoratorAppliedAndIsAwaited() {
		this.runner.withPropertyValues("spring.threads.virtual.enabled=true")
			.withUserConfiguration(PropagatingDecoratorConfiguration.class, ScheduledJobConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean("taskScheduler")).isInstanceOf(SimpleAsyncTaskScheduler.class);

				PropagatingDecorator decorator = context.getBean(PropagatingDecorator.class);

				assertAwaitedAtClose(context, "taskScheduler");
				assertThat(decorator.runs).hasPositiveValue();
			});
	}

	@Test
	void whenTheApplicationHasADecoratorOfItsOwnThenATaskScheduledForLaterOnSpringBootsSchedulerIsNoHandOver() {
		this.runner.withUserConfiguration(PropagatingDecoratorConfiguration.class, SchedulingConfiguration.class)
			.run((context) -> {
				ThreadPoolTaskScheduler scheduler = context.getBean("taskScheduler", ThreadPoolTaskScheduler.class);

				scheduler.schedule(() -> {
				}, Instant.now().plus(Duration.ofHours(1)));

				assertThat(context.getBean(ExecutorTaskCoverage.class).handingOver()).isFalse();
			});
	}

	@Test
	void aTaskTheExecutorRejectedDoesNotKeepTheTasksAfterItOnTheirWayOnceTheyHaveStarted() {
		this.runner
			.withPropertyValues("spring.task.execution.pool.core-size=1", "spring.task.execution.pool.max-size=1",
					"spring.task.execution.pool.queue-capacity=0")
			.run((context) -> {
				ThreadPoolTaskExecutor executor = context.getBean("applicationTaskExecutor",
						ThreadPoolTaskExecutor.class);
				ExecutorTaskCoverage coverage = context.getBean(ExecutorTaskCoverage.class);
				CountDownLatch release = new CountDownLatch(1);
				executor.execute(() -> block(release));
				assertThatExceptionOfType(TaskRejectedException.class).isThrownBy(() -> executor.execute(() -> {
				}));
				release.countDown();
				await().until(() -> !coverage.handingOver());

				executor.submit(() -> {
				}).get(10, TimeUnit.SECONDS);

				assertThat(coverage.handingOver()).isFalse();
			});
	}

	@Test
	void whenTheApplicationInjectsItsOneTaskDecoratorThenItStillGetsIt() {
		this.runner.withUserConfiguration(DecoratorInjectionConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(DecoratorInjectionConfiguration.class)
				.extracting("injected")
				.isSameAs(context.getBean(PropagatingDecorator.class)));
	}

	@Test
	void executorsBuiltWithSpringBootsBuilderAreNamedAfterTheirThreadsAndThoseSharingAPrefixAfterAllOfThem() {
		this.runner.withUserConfiguration(BuiltExecutorsConfiguration.class).run((context) -> {
			LongRunningTasks tasks = context.getBean(LongRunningTasks.class);

			assertSoleTaskName(tasks, context.getBean("reportExecutor", ThreadPoolTaskExecutor.class),
					"reportExecutor");
			assertSoleTaskName(tasks, context.getBean("secondExecutor", ThreadPoolTaskExecutor.class),
					"firstExecutor or secondExecutor");
			assertThat(context.getBean(ExecutorTaskCoverage.class).coveredExecutors()).containsExactly("firstExecutor",
					"reportExecutor", "secondExecutor");
		});
	}

	@Test
	void anExecutorTheApplicationBuildsItselfGetsADecoratorAroundItsOwnAndItsTasksCount() {
		this.runner
			.withUserConfiguration(PropagatingDecoratorConfiguration.class,
					TaskDrainAutoConfigurationTests.UserExecutorConfiguration.class)
			.run((context) -> {
				ThreadPoolTaskExecutor executor = context.getBean("userExecutor", ThreadPoolTaskExecutor.class);
				assertThat(executor).extracting("taskDecorator").isInstanceOf(TaskRegisteringDecorator.class);

				assertSoleTaskName(context.getBean(LongRunningTasks.class), executor, "userExecutor");
				assertThat(context.getBean(TaskDrainAutoConfigurationTests.CountingDecorator.class).decorated)
					.hasValue(1);
				assertThat(context.getBean(PropagatingDecorator.class).runs).hasValue(0);
			});
	}

	@Test
	void anExecutorBehindAClassBasedProxyKeepsItsOwnDecoratorAndItsTasksCount() {
		this.runner
			.withUserConfiguration(TaskDrainAutoConfigurationTests.UserExecutorConfiguration.class,
					ProxiedExecutorsConfiguration.class)
			.run((context) -> {
				ThreadPoolTaskExecutor executor = context.getBean("userExecutor", ThreadPoolTaskExecutor.class);
				assertThat(AopUtils.isCglibProxy(executor)).isTrue();
				assertThat(AopProxyUtils.getSingletonTarget(executor)).extracting("taskDecorator")
					.isInstanceOf(TaskRegisteringDecorator.class);

				assertSoleTaskName(context.getBean(LongRunningTasks.class), executor, "userExecutor");
				assertThat(context.getBean(TaskDrainAutoConfigurationTests.CountingDecorator.class).decorated)
					.hasValue(1);
			});
	}

	@Test
	void whenABuilderDropsTheStartersCustomizerThenItsExecutorIsCoveredAroundSpringBootsDecoratorAndCountsOnce() {
		this.runner
			.withUserConfiguration(PropagatingDecoratorConfiguration.class, UncustomizedExecutorConfiguration.class)
			.run((context) -> {
				ThreadPoolTaskExecutor executor = context.getBean("reportExecutor", ThreadPoolTaskExecutor.class);
				assertThat(executor).extracting("taskDecorator").isInstanceOf(TaskRegisteringDecorator.class);

				assertSoleTaskName(context.getBean(LongRunningTasks.class), executor, "reportExecutor");
				assertThat(context.getBean(PropagatingDecorator.class).runs).hasValue(1);
			});
	}

	@Test
	void whenABuilderDropsTheStartersCustomizerAndCarriesTheStartersDecoratorAloneThenItIsLeftAsItIs() {
		this.runner.withUserConfiguration(UncustomizedExecutorConfiguration.class).run((context) -> {
			ThreadPoolTaskExecutor executor = context.getBean("reportExecutor", ThreadPoolTaskExecutor.class);
			assertThat(executor).extracting("taskDecorator").isSameAs(context.getBean(TaskDecorator.class));

			assertSoleTaskName(context.getBean(LongRunningTasks.class), executor, "reportExecutor");
		});
	}

	private static void startAsyncJob(AssertableWebApplicationContext context, String requestContext) {
		PropagatingDecorator.CONTEXT.set(requestContext);
		try {
			context.getBean(AsyncJob.class).run();
		}
		finally {
			PropagatingDecorator.CONTEXT.remove();
		}
	}

	private static void assertAwaitedAtClose(AssertableWebApplicationContext context, String taskName)
			throws Exception {
		Work work = context.getBean(Work.class);
		LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		TaskDrainStats stats = context.getBean(TaskDrainStats.class);
		await()
			.untilAsserted(() -> assertThat(tasks.snapshot()).extracting(ActiveTask::name).containsExactly(taskName));

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);

		await().until(() -> coordinator.drain().map(Drain::currentPhase).orElse(null) == DrainPhase.TASK_DRAIN);
		await("the close waits for the task").during(Duration.ofMillis(100))
			.atMost(Duration.ofSeconds(5))
			.until(() -> !close.isDone());
		work.release.countDown();
		close.get(30, TimeUnit.SECONDS);
		assertThat(work.finished).hasValue(1);
		assertThat(stats.getCompletedDuringDrain()).isPositive();
		assertThat(stats.getCutOff()).isZero();
	}

	private static void assertSoleTaskName(LongRunningTasks tasks, ThreadPoolTaskExecutor executor, String name) {
		CountDownLatch release = new CountDownLatch(1);
		executor.execute(() -> block(release));
		try {
			await()
				.untilAsserted(() -> assertThat(tasks.snapshot()).extracting(ActiveTask::name).containsExactly(name));
		}
		finally {
			release.countDown();
		}
		await().until(() -> tasks.active() == 0);
	}

	private static void block(CountDownLatch latch) {
		try {
			latch.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class ProxiedExecutorsConfiguration {

		@Bean
		static ClassBasedExecutorProxies classBasedExecutorProxies() {
			return new ClassBasedExecutorProxies();
		}

	}

	/**
	 * Puts thread pools behind class-based proxies, as an aspect around them would,
	 * before the starter's post-processor sees them.
	 */
	static class ClassBasedExecutorProxies implements BeanPostProcessor, PriorityOrdered {

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (!(bean instanceof ThreadPoolTaskExecutor)) {
				return bean;
			}
			ProxyFactory factory = new ProxyFactory(bean);
			factory.setProxyTargetClass(true);
			return factory.getProxy(getClass().getClassLoader());
		}

		@Override
		public int getOrder() {
			return Ordered.HIGHEST_PRECEDENCE;
		}

	}

	/**
	 * A decorator of the application's, which hands a value of the thread that submits a
	 * task to the thread that runs it, as MDC or security context decorators do.
	 */
	static class PropagatingDecorator implements TaskDecorator {

		static final ThreadLocal<@Nullable String> CONTEXT = new ThreadLocal<>();

		final AtomicInteger runs = new AtomicInteger();

		@Override
		public Runnable decorate(Runnable runnable) {
			String context = CONTEXT.get();
			return () -> {
				this.runs.incrementAndGet();
				CONTEXT.set(context);
				try {
					runnable.run();
				}
				finally {
					CONTEXT.remove();
				}
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class PropagatingDecoratorConfiguration {

		@Bean
		PropagatingDecorator propagatingDecorator() {
			return new PropagatingDecorator();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	static class SchedulingConfiguration {

	}

	/**
	 * Work that blocks until the test releases it, on its first run only.
	 */
	static class Work {

		final CountDownLatch release = new CountDownLatch(1);

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger finished = new AtomicInteger();

		volatile @Nullable String context;

		void runOnce() {
			if (this.started.getAndIncrement() > 0) {
				return;
			}
			this.context = PropagatingDecorator.CONTEXT.get();
			block(this.release);
			this.finished.incrementAndGet();
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

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	@Import({ Work.class, AsyncJob.class })
	static class AsyncJobConfiguration {

	}

	static class ScheduledJob {

		private final Work work;

		ScheduledJob(Work work) {
			this.work = work;
		}

		@Scheduled(fixedRate = 100, timeUnit = TimeUnit.MILLISECONDS)
		void run() {
			this.work.runOnce();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	@Import({ Work.class, ScheduledJob.class })
	static class ScheduledJobConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class DecoratorInjectionConfiguration {

		private @Nullable TaskDecorator injected;

		@Bean
		PropagatingDecorator propagatingDecorator() {
			return new PropagatingDecorator();
		}

		@Bean
		ThreadPoolTaskExecutor userExecutor(TaskDecorator decorator) {
			this.injected = decorator;
			ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
			executor.setTaskDecorator(decorator);
			return executor;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class BuiltExecutorsConfiguration {

		@Bean
		ThreadPoolTaskExecutor firstExecutor(ThreadPoolTaskExecutorBuilder builder) {
			return builder.build();
		}

		@Bean
		ThreadPoolTaskExecutor secondExecutor(ThreadPoolTaskExecutorBuilder builder) {
			return builder.build();
		}

		@Bean
		ThreadPoolTaskExecutor reportExecutor(ThreadPoolTaskExecutorBuilder builder) {
			return builder.threadNamePrefix("report-").build();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UncustomizedExecutorConfiguration {

		@Bean
		ThreadPoolTaskExecutor reportExecutor(ThreadPoolTaskExecutorBuilder builder) {
			return builder.customizers(List.of()).threadNamePrefix("report-").build();
		}

	}

}
