package io.github.gracefulshutdown.task;

import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;

import org.springframework.boot.task.SimpleAsyncTaskExecutorBuilder;
import org.springframework.boot.task.SimpleAsyncTaskExecutorCustomizer;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerBuilder;
import org.springframework.boot.task.SimpleAsyncTaskSchedulerCustomizer;
import org.springframework.boot.task.ThreadPoolTaskExecutorBuilder;
import org.springframework.boot.task.ThreadPoolTaskExecutorCustomizer;
import org.springframework.boot.task.ThreadPoolTaskSchedulerBuilder;
import org.springframework.boot.task.ThreadPoolTaskSchedulerCustomizer;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Remembers the executors and schedulers that Spring Boot's builders
 * ({@link ThreadPoolTaskExecutorBuilder}, {@link SimpleAsyncTaskExecutorBuilder},
 * {@link ThreadPoolTaskSchedulerBuilder}, {@link SimpleAsyncTaskSchedulerBuilder}) build:
 * as a customizer of each, it sees every instance right after the builder gave it its
 * task decorator: Spring Boot's composition of the application's {@code TaskDecorator}
 * beans, which holds the starter's, unless the application set another on the builder.
 * Those executors need no decorator of the starter's around their own.
 * <p>
 * An instance is remembered until {@link #claim(Object)} is called for it, weakly, so
 * that instances built and dropped by the application are not kept.
 */
final class BuilderBuiltExecutors implements ThreadPoolTaskExecutorCustomizer, SimpleAsyncTaskExecutorCustomizer,
		ThreadPoolTaskSchedulerCustomizer, SimpleAsyncTaskSchedulerCustomizer {

	private final Set<Object> built = Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

	@Override
	public void customize(ThreadPoolTaskExecutor taskExecutor) {
		this.built.add(taskExecutor);
	}

	@Override
	public void customize(SimpleAsyncTaskExecutor taskExecutor) {
		this.built.add(taskExecutor);
	}

	@Override
	public void customize(ThreadPoolTaskScheduler taskScheduler) {
		this.built.add(taskScheduler);
	}

	@Override
	public void customize(SimpleAsyncTaskScheduler taskScheduler) {
		this.built.add(taskScheduler);
	}

	/**
	 * Forgets the given executor, and returns whether one of Spring Boot's builders had
	 * built it.
	 * @param executor an executor bean
	 * @return {@code true} if a builder built it
	 */
	boolean claim(Object executor) {
		return this.built.remove(executor);
	}

}
