package io.github.gracefulshutdown.task;

import java.time.Duration;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Gives the lifecycle phase in which the drain waits for long-running tasks, when it has
 * a phase of its own, the timeout {@code graceful-shutdown.tasks.timeout} sets, whatever
 * the timeout of the other phases.
 */
class TaskPhaseTimeoutPostProcessor implements BeanPostProcessor {

	private final int phase;

	private final Duration timeout;

	TaskPhaseTimeoutPostProcessor(int phase, Duration timeout) {
		this.phase = phase;
		this.timeout = timeout;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultLifecycleProcessor lifecycleProcessor
				&& AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME.equals(beanName)) {
			lifecycleProcessor.setTimeoutForShutdownPhase(this.phase, this.timeout.toMillis());
		}
		return bean;
	}

}
