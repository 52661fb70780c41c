package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.util.Set;
import java.util.function.LongSupplier;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainTrigger;
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

	private final LongSupplier nanoTime;

	private volatile @Nullable DefaultLifecycleProcessor lifecycleProcessor;

	private volatile @Nullable Long shutdownStartNanos;

	private volatile @Nullable Long preStopHookNanos;

	ShutdownPhaseTimeouts(ObjectProvider<DrainBudget> budget) {
		this(budget, System::nanoTime);
	}

	ShutdownPhaseTimeouts(ObjectProvider<DrainBudget> budget, LongSupplier nanoTime) {
		this.budget = budget;
		this.nanoTime = nanoTime;
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
	 * Records that the preStop hook was called, which starts the platform's termination
	 * grace period, so that the shutdown counts its deadline from here. A later call
	 * within the grace period does not move it; a call made longer ago than the grace
	 * period cannot have started the one running now (someone called the hook by hand,
	 * long before the platform stopped the pod), so the next call replaces it.
	 */
	public void preStopHookCalled() {
		long now = this.nanoTime.getAsLong();
		Long earlier = this.preStopHookNanos;
		if (earlier == null || !withinGracePeriod(earlier, now)) {
			this.preStopHookNanos = now;
		}
	}

	/**
	 * Records when the shutdown began, the moment the shutdown's deadline counts from:
	 * the start of the drain when the close started it; otherwise (a drain started by the
	 * preStop hook, the endpoint or application code) the call of the preStop hook when
	 * it was made within the grace period, or else the start of the close: a drain
	 * started long before the platform stopped the pod still gets the whole grace period.
	 * @param drain the running drain
	 * @return when the shutdown began, a reading of {@link System#nanoTime()}
	 */
	long shutdownStarted(Drain drain) {
		long now = this.nanoTime.getAsLong();
		long start;
		if (drain.trigger() == DrainTrigger.CONTEXT_CLOSE) {
			start = now - drain.elapsedNanos();
		}
		else {
			Long preStopHook = this.preStopHookNanos;
			start = (preStopHook != null && withinGracePeriod(preStopHook, now)) ? preStopHook : now;
		}
		this.shutdownStartNanos = start;
		return start;
	}

	private boolean withinGracePeriod(long sinceNanos, long now) {
		return now - sinceNanos < this.budget.getObject().terminationGracePeriod().toNanos();
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
		return (start != null) ? budget.phaseTimeoutLeft(this.nanoTime.getAsLong() - start) : budget.inFlightTimeout();
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
		return (start != null) ? budget.timeLeftAfterSteps(this.nanoTime.getAsLong() - start)
				: budget.inFlightTimeout();
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
