package io.github.gracefulshutdown.task;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.support.ApplicationObjectSupport;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link LongRunningTask @LongRunningTask}.
 */
class LongRunningTaskAnnotationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(TaskDrainAutoConfiguration.class))
		.withBean(Reports.class)
		.withBean(Exports.class);

	@Test
	void eachCallOfAnAnnotatedMethodIsATaskUnderTheAnnotationsName() {
		this.runner.run((context) -> {
			Reports reports = context.getBean(Reports.class);
			LongRunningTasks tasks = context.getBean(LongRunningTasks.class);

			assertThat(reports.monthly()).containsExactly("monthly report");
			assertThat(reports.yearly()).containsExactly("Reports.yearly");
			assertThat(tasks.active()).isZero();
			assertThat(tasks.completed()).isEqualTo(2);
		});
	}

	@Test
	void methodsThatAreNotAnnotatedAreNotTasks() {
		this.runner.run((context) -> {
			assertThat(context.getBean(Reports.class).notATask()).isEmpty();
			assertThat(context.getBean(LongRunningTasks.class).completed()).isZero();
		});
	}

	@Test
	void onAClassEveryMethodIsATaskUnderTheClassesName() {
		this.runner.run((context) -> assertThat(context.getBean(Exports.class).export()).containsExactly("exports"));
	}

	@Test
	void aTaskThatFailsEnds() {
		this.runner.run((context) -> {
			LongRunningTasks tasks = context.getBean(LongRunningTasks.class);

			assertThatIllegalStateException().isThrownBy(context.getBean(Reports.class)::failing);

			assertThat(tasks.active()).isZero();
			assertThat(tasks.completed()).isOne();
		});
	}

	@Test
	void aMethodThatReturnsACompletionStageCountsUntilTheStageCompletes() {
		this.runner.run((context) -> {
			LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
			CompletableFuture<String> pending = new CompletableFuture<>();

			CompletableFuture<String> result = context.getBean(Reports.class).later(pending);

			assertThat(tasks.snapshot()).extracting(ActiveTask::name).containsExactly("later report");
			pending.complete("done");
			assertThat(result).isCompletedWithValue("done");
			assertThat(tasks.active()).isZero();
		});
	}

	@Test
	void anAsyncMethodCountsOnceUnderTheAnnotationsNameWhileItRunsOnTheCoveredExecutor() {
		new WebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(
					AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, TaskDrainAutoConfiguration.class,
							TaskExecutionAutoConfiguration.class, LifecycleAutoConfiguration.class))
			.withUserConfiguration(AsyncConfiguration.class)
			.run((context) -> {
				LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
				Transcoder transcoder = context.getBean(Transcoder.class);

				CompletableFuture<String> transcoded = transcoder.transcode();

				await().untilAsserted(
						() -> assertThat(tasks.snapshot()).extracting(ActiveTask::name).containsExactly("transcode"));
				transcoder.release();
				assertThat(transcoded.get(30, TimeUnit.SECONDS)).isNotEqualTo(Thread.currentThread().getName());
				await().until(() -> tasks.active() == 0);
				assertThat(tasks.completed()).as("the task and its executor task count as one").isOne();
			});
	}

	/**
	 * Spring's post-processor for {@code @Scheduled} methods hands the scheduler the bean
	 * it sees: it must be the proxy, though the application's configuration registers
	 * that post-processor before the starter's.
	 */
	@Test
	void aScheduledMethodIsATaskUnderTheAnnotationsNameEachTimeItRuns() {
		new ApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withPropertyValues("graceful-shutdown.tasks.executors.enabled=false")
			// As in an application, its configuration comes before the
			// auto-configurations
			.withUserConfiguration(SchedulingConfiguration.class)
			.withConfiguration(
					AutoConfigurations.of(TaskDrainAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
			.run((context) -> {
				LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
				NightlyExport export = context.getBean(NightlyExport.class);
				try {
					await().untilAsserted(() -> assertThat(tasks.snapshot()).extracting(ActiveTask::name)
						.containsExactly("nightly export"));
				}
				finally {
					export.release();
				}
				await().until(() -> tasks.completed() == 1);
			});
	}

	@Test
	void subclassesThatShareAnInheritedMethodRunItUnderTheirOwnNames() {
		this.runner.withBean(CsvExport.class).withBean(PdfExport.class).run((context) -> {
			assertThat(context.getBean(CsvExport.class).run()).containsExactly("csv export");
			assertThat(context.getBean(PdfExport.class).run()).containsExactly("pdf export");
		});
	}

	@Test
	void whenAnInterfaceMethodIsAnnotatedThenItsImplementationIsATask() {
		this.runner.withBean(ColdArchive.class).run((context) -> {
			Archive archive = context.getBean(Archive.class);

			assertThat(archive.archive()).containsExactly("archive");
			assertThat(context.getBean(LongRunningTasks.class).completed()).isOne();
		});
	}

	@Test
	void whenASuperclassMethodIsAnnotatedThenItIsATaskInTheSubclass() {
		this.runner.withBean(QuarterlyReports.class)
			.run((context) -> assertThat(context.getBean(QuarterlyReports.class).quarterly())
				.containsExactly("quarterly report"));
	}

	@Test
	void whenAMethodCarriesAnAnnotationMetaAnnotatedWithLongRunningTaskThenItIsATask() {
		this.runner.withBean(Backups.class)
			.run((context) -> assertThat(context.getBean(Backups.class).backup()).containsExactly("nightly"));
	}

	@Test
	void whenTheBeanIsAlreadyAProxyOfAnAnnotatedClassThenTheTaskAdviceJoinsIt() {
		this.runner.withUserConfiguration(ProxiedArchiveConfiguration.class).run((context) -> {
			Archive archive = context.getBean(Archive.class);

			assertThat(AopUtils.isJdkDynamicProxy(archive)).isTrue();
			assertThat(archive.archive()).containsExactly("archive");
			assertThat(((Advised) archive).getAdvisors()).hasSize(1);
		});
	}

	@Test
	void whenASubclassOfASpringClassHasAnAnnotatedMethodThenItIsATask() {
		this.runner.withBean(Refreshes.class)
			.run((context) -> assertThat(context.getBean(Refreshes.class).refresh()).containsExactly("refresh"));
	}

	@Test
	void whenNoBeanIsAnnotatedThenNoAdvisorIsBuilt() {
		new ApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(TaskDrainAutoConfiguration.class))
			.withBean(Plain.class)
			.run((context) -> {
				assertThat(AopUtils.isAopProxy(context.getBean(Plain.class))).isFalse();
				assertThat(context.getBean(LongRunningTaskAnnotationPostProcessor.class).isAdvising()).isFalse();
			});
	}

	@Test
	void whenTheTypeOfAnAnnotatedBeanIsDeterminedAheadOfTimeThenItIsItsProxyClass() {
		new ApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(TaskDrainAutoConfiguration.class))
			.run((context) -> {
				LongRunningTaskAnnotationPostProcessor postProcessor = context
					.getBean(LongRunningTaskAnnotationPostProcessor.class);

				assertThat(postProcessor.determineBeanType(Plain.class, "plain")).isEqualTo(Plain.class);
				assertThat(postProcessor.determineBeanType(Exports.class, "exports")).isNotEqualTo(Exports.class)
					.isAssignableTo(Exports.class);
				assertThat(postProcessor.isAdvising()).isTrue();
			});
	}

	static class Reports {

		private final LongRunningTasks tasks;

		Reports(LongRunningTasks tasks) {
			this.tasks = tasks;
		}

		@LongRunningTask("monthly report")
		public List<String> monthly() {
			return names();
		}

		@LongRunningTask
		public List<String> yearly() {
			return names();
		}

		@LongRunningTask("quarterly report")
		public List<String> quarterly() {
			return names();
		}

		public List<String> notATask() {
			return names();
		}

		@LongRunningTask
		public void failing() {
			throw new IllegalStateException("Failing on purpose");
		}

		@LongRunningTask("later report")
		public CompletableFuture<String> later(CompletableFuture<String> pending) {
			return pending.thenApply((value) -> value);
		}

		private List<String> names() {
			return this.tasks.snapshot().stream().map(ActiveTask::name).toList();
		}

	}

	@LongRunningTask("exports")
	static class Exports {

		private final LongRunningTasks tasks;

		Exports(LongRunningTasks tasks) {
			this.tasks = tasks;
		}

		public List<String> export() {
			return this.tasks.snapshot().stream().map(ActiveTask::name).toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableAsync
	@Import(Transcoder.class)
	static class AsyncConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	@EnableScheduling
	@Import(NightlyExport.class)
	static class SchedulingConfiguration {

	}

	static class NightlyExport {

		private final CountDownLatch release = new CountDownLatch(1);

		public void release() {
			this.release.countDown();
		}

		@Scheduled(fixedRate = 60_000)
		@LongRunningTask("nightly export")
		public void export() throws InterruptedException {
			this.release.await(30, TimeUnit.SECONDS);
		}

	}

	abstract static class Export {

		private final LongRunningTasks tasks;

		Export(LongRunningTasks tasks) {
			this.tasks = tasks;
		}

		public List<String> run() {
			return this.tasks.snapshot().stream().map(ActiveTask::name).toList();
		}

	}

	@LongRunningTask("csv export")
	static class CsvExport extends Export {

		CsvExport(LongRunningTasks tasks) {
			super(tasks);
		}

	}

	@LongRunningTask("pdf export")
	static class PdfExport extends Export {

		PdfExport(LongRunningTasks tasks) {
			super(tasks);
		}

	}

	static class Transcoder {

		private final CountDownLatch release = new CountDownLatch(1);

		public void release() {
			this.release.countDown();
		}

		@Async
		@LongRunningTask("transcode")
		public CompletableFuture<String> transcode() throws InterruptedException {
			this.release.await(30, TimeUnit.SECONDS);
			return CompletableFuture.completedFuture(Thread.currentThread().getName());
		}

	}

	static class QuarterlyReports extends Reports {

		QuarterlyReports(LongRunningTasks tasks) {
			super(tasks);
		}

		@Override
		public List<String> quarterly() {
			return super.quarterly();
		}

	}

	interface Archive {

		@LongRunningTask("archive")
		List<String> archive();

	}

	static class ColdArchive implements Archive {

		private final LongRunningTasks tasks;

		ColdArchive(LongRunningTasks tasks) {
			this.tasks = tasks;
		}

		@Override
		public List<String> archive() {
			return this.tasks.snapshot().stream().map(ActiveTask::name).toList();
		}

	}

	static class AnnotatedArchive implements Archive {

		private final LongRunningTasks tasks;

		AnnotatedArchive(LongRunningTasks tasks) {
			this.tasks = tasks;
		}

		@Override
		@LongRunningTask("archive")
		public List<String> archive() {
			return this.tasks.snapshot().stream().map(ActiveTask::name).toList();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ProxiedArchiveConfiguration {

		@Bean
		Archive archive(LongRunningTasks tasks) {
			ProxyFactory proxyFactory = new ProxyFactory(new AnnotatedArchive(tasks));
			proxyFactory.addInterface(Archive.class);
			return (Archive) proxyFactory.getProxy();
		}

	}

	@Retention(RetentionPolicy.RUNTIME)
	@Target(ElementType.METHOD)
	@LongRunningTask("nightly")
	@interface NightlyTask {

	}

	static class Backups {

		private final LongRunningTasks tasks;

		Backups(LongRunningTasks tasks) {
			this.tasks = tasks;
		}

		@NightlyTask
		public List<String> backup() {
			return this.tasks.snapshot().stream().map(ActiveTask::name).toList();
		}

	}

	static class Refreshes extends ApplicationObjectSupport {

		private final LongRunningTasks tasks;

		Refreshes(LongRunningTasks tasks) {
			this.tasks = tasks;
		}

		@LongRunningTask("refresh")
		public List<String> refresh() {
			return this.tasks.snapshot().stream().map(ActiveTask::name).toList();
		}

	}

	static class Plain {

		public String hello() {
			return "hello";
		}

	}

}
