package io.github.gracefulshutdown.task;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.annotation.MergedAnnotations;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecutorTaskCoverageRuntimeHints}.
 */
class ExecutorTaskCoverageRuntimeHintsTests {

	@ParameterizedTest
	@ValueSource(classes = { ThreadPoolTaskExecutor.class, ThreadPoolTaskScheduler.class, SimpleAsyncTaskExecutor.class,
			SimpleAsyncTaskScheduler.class })
	void theTaskDecoratorFieldOfEveryCoveredExecutorTypeIsRegisteredForReflection(Class<?> executorType) {
		RuntimeHints hints = new RuntimeHints();

		new ExecutorTaskCoverageRuntimeHints().registerHints(hints, getClass().getClassLoader());

		assertThat(RuntimeHintsPredicates.reflection().onFieldAccess(executorType, "taskDecorator")).accepts(hints);
	}

	@Test
	void theTaskAutoConfigurationImportsTheHints() {
		assertThat(MergedAnnotations.from(TaskDrainAutoConfiguration.class)
			.get(ImportRuntimeHints.class)
			.getClassArray("value")).containsExactly(ExecutorTaskCoverageRuntimeHints.class);
	}

}
