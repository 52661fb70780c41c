package io.github.gracefulshutdown.task;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;

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

}
