package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.util.Set;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.Durations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Keeps the timeout of the context's lifecycle phases inside the one deadline of the
 * shutdown. At startup it gives the lifecycle processor the in-flight timeout of the
 * {@link DrainBudget} when the user did not set
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. During a drain it is asked again
 * before the lifecycle phases stop and before the web server's graceful phase, and gives
 * the phases to come what is left until the deadline (less the time reserved for the task
 * drain), never more than the user's own timeout: a phase that overran leaves less to the
 * next instead of each getting a fresh timeout. The lifecycle processor reads the timeout
 * of a phase when it waits for that phase, so the value set last applies.
 */
public final class ShutdownPhaseTimeouts implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ShutdownPhaseTimeouts.class);

	private final ObjectProvider<DrainBudget> budget;

	private volatile @Nullable DefaultLifecycleProcessor lifecycleProcessor;

	private volatile @Nullable Long shutdownStartNanos;

	private volatile @Nullable Long preStopHookNanos;

	ShutdownPhaseTimeouts(ObjectProvider<DrainBudget> budget) {
		this.budget = budget;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DefaultLifecycleProcessor lifecycleProcessor
				&& AbstractApplicationContext.LIFECYCLE_PROCESSOR_BEAN_NAME.equals(beanName)) {
			this.lifecycleProcessor = lifecycleProcessor;
			DrainBudget budget = this.budget.getObject();
			if (budget.isInFlightTimeoutDerived()) {
				lifecycleProcessor.setTimeoutPerShutdownPhase(budget.inFlightTimeout().toMillis());
				logger
					.debug("Lifecycle timeout per shutdown phase set to " + Durations.format(budget.inFlightTimeout()));
			}
		}
		return bean;
	}

	/**
	 * Records that the platform called the preStop hook, which starts its termination
	 * grace period, so that a shutdown of a drain started earlier counts its deadline
	 * from here. Only the first call counts.
	 */
	public void preStopHookCalled() {
		if (this.preStopHookNanos == null) {
			this.preStopHookNanos = System.nanoTime();
		}
	}

	/**
	 * Records when the shutdown began, the moment the shutdown's deadline counts from:
	 * the start of the drain when the platform's grace period began with it (a preStop
	 * hook, or the close itself); when the drain was started long before by the endpoint
	 * or application code, the call of the preStop hook, if any, or else the start of the
	 * close.
	 * @param drain the running drain
	 * @return when the shutdown began, a reading of {@link System#nanoTime()}
	 */
	long shutdownStarted(Drain drain) {
		long now = System.nanoTime();
		Long preStopHook = this.preStopHookNanos;
		long start = switch (drain.trigger()) {
			case CONTEXT_CLOSE, PRE_STOP_HOOK -> now - drain.elapsedNanos();
			case ENDPOINT, APPLICATION -> (preStopHook != null) ? preStopHook : now;
		};
		this.shutdownStartNanos = start;
		return start;
	}

	/**
	 * Returns what the lifecycle phases still to stop may take from now on, the in-flight
	 * drains among them: what is left until the shutdown's deadline, less the time
	 * reserved for the steps after the in-flight drain, and no more than an in-flight
	 * timeout the user set. Before the shutdown began, the budget's in-flight timeout.
	 * @return the time left, zero or positive
	 */
	public Duration timeLeft() {
		Long start = this.shutdownStartNanos;
		DrainBudget budget = this.budget.getObject();
		return (start != null) ? budget.phaseTimeoutLeft(System.nanoTime() - start) : budget.inFlightTimeout();
	}

	/**
	 * Returns what a lifecycle phase that stops after every step of the drain may take
	 * from now on: what is left until the shutdown's deadline, and no more than an
	 * in-flight timeout the user set. Before the shutdown began, the budget's in-flight
	 * timeout.
	 * @return the time left, zero or positive
	 */
	public Duration timeUntilDeadline() {
		Long start = this.shutdownStartNanos;
		DrainBudget budget = this.budget.getObject();
		return (start != null) ? budget.timeLeftAfterSteps(System.nanoTime() - start) : budget.inFlightTimeout();
	}

	/**
	 * Gives the given lifecycle phases a timeout of their own, whatever the timeout of
	 * the other phases. Does nothing when the context's lifecycle processor is not
	 * Spring's default one.
	 * @param phases the phases
	 * @param timeout the longest each of them may wait
	 */
	public void setTimeout(Set<Integer> phases, Duration timeout) {
		DefaultLifecycleProcessor lifecycleProcessor = this.lifecycleProcessor;
		if (lifecycleProcessor != null) {
			phases.forEach((phase) -> lifecycleProcessor.setTimeoutForShutdownPhase(phase, timeout.toMillis()));
		}
	}

	/**
	 * Gives the lifecycle phases still to stop what is left of the shutdown's deadline.
	 * Does nothing before the shutdown began.
	 */
	void fitToDeadline() {
		Long start = this.shutdownStartNanos;
		if (start == null) {
			return;
		}
		Duration timeout = timeLeft();
		DefaultLifecycleProcessor lifecycleProcessor = this.lifecycleProcessor;
		if (lifecycleProcessor != null) {
			lifecycleProcessor.setTimeoutPerShutdownPhase(timeout.toMillis());
			logger.debug("Lifecycle timeout per shutdown phase set to " + Durations.format(timeout)
					+ ", what is left until the shutdown's deadline");
		}
	}

}
