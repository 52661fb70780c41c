package io.github.gracefulshutdown.task;

import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Keeps the coverage of executors that Spring Boot's builders did not build in a native
 * image: {@link ExecutorTaskCoverage} reads the task decorator such an executor already
 * has from its field, which a native image only allows for fields registered for
 * reflection.
 */
class ExecutorTaskCoverageRuntimeHints implements RuntimeHintsRegistrar {

	private static final List<Class<?>> EXECUTOR_TYPES = List.of(ThreadPoolTaskExecutor.class,
			ThreadPoolTaskScheduler.class, SimpleAsyncTaskExecutor.class);

	@Override
	public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
		for (Class<?> executorType : EXECUTOR_TYPES) {
			hints.reflection()
				.registerType(executorType, (hint) -> hint.withField(ExecutorTaskCoverage.DECORATOR_FIELD));
		}
	}

}
