package io.github.gracefulshutdown.metrics;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.task.LongRunningTasks;
import io.github.gracefulshutdown.task.RunningTask;
import io.github.gracefulshutdown.task.TaskDrainAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TaskDrainMetrics}.
 */
class TaskDrainMetricsTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				TaskDrainAutoConfiguration.class, DrainMetricsAutoConfiguration.class, MetricsAutoConfiguration.class,
				CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class));

	@Test
	void theActiveTaskGaugeFollowsTheWorkAndTheCompletedCounterCountsIt() {
		this.runner.run((context) -> {
			MeterRegistry registry = context.getBean(MeterRegistry.class);
			LongRunningTasks tasks = context.getBean(LongRunningTasks.class);
			assertThat(registry.get("graceful.shutdown.tasks.active").gauge().value()).isZero();

			try (RunningTask first = tasks.begin("first"); RunningTask second = tasks.begin("second")) {
				assertThat(registry.get("graceful.shutdown.tasks.active").gauge().value()).isEqualTo(2);
			}

			assertThat(registry.get("graceful.shutdown.tasks.active").gauge().value()).isZero();
			assertThat(registry.get("graceful.shutdown.tasks.completed").functionCounter().count()).isEqualTo(2);
			assertThat(registry.get("graceful.shutdown.tasks.queued").gauge().value()).isZero();
			assertThat(registry.get("graceful.shutdown.tasks.cut.off").functionCounter().count()).isZero();
		});
	}

	@Test
	void whenTheDrainIsDisabledThenThereAreNoTaskMeters() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(LongRunningTasks.class).doesNotHaveBean(OptionalPartsMetrics.class);
			assertThat(context.getBean(MeterRegistry.class).find("graceful.shutdown.tasks.active").gauge()).isNull();
		});
	}

}
