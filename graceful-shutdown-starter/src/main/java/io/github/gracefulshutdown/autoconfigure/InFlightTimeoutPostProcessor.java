package io.github.gracefulshutdown.autoconfigure;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Gives the context's lifecycle processor the in-flight timeout of the
 * {@link DrainBudget} when the user did not set
 * {@code spring.lifecycle.timeout-per-shutdown-phase}, so that the web server's graceful
 * shutdown fits in the termination grace period.
 */
class InFlightTimeoutPostProcessor implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(InFlightTimeoutPostProcessor.class);

	private final ObjectProvider<DrainBudget> budget;

	InFlightTimeoutPostProcessor(ObjectProvider<DrainBudget> budget) {
		this.budget = budget;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultLifecycleProcessor lifecycleProcessor
				&& AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME.equals(beanName)) {
			DrainBudget budget = this.budget.getObject();
			if (budget.isInFlightTimeoutDerived()) {
				lifecycleProcessor.setTimeoutPerShutdownPhase(budget.inFlightTimeout().toMillis());
				logger
					.debug("Lifecycle timeout per shutdown phase set to " + Durations.format(budget.inFlightTimeout()));
			}
		}
		return bean;
	}

}
