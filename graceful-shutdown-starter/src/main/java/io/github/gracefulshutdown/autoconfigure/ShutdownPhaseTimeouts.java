package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.LongSupplier;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.Durations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.BeanFactoryUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.support.DefaultLifecycleProcessor;

/**
 * Keeps the timeout of the context's lifecycle phases inside the one deadline of the
 * shutdown. At startup it gives the lifecycle processor the in-flight timeout of the
 * {@link DrainBudget} when the user did not set
 * {@code spring.lifecycle.timeout-per-shutdown-phase}. During a drain it is asked again
 * before the lifecycle phases stop and before each phase of the lifecycle beans waits for
 * them, and gives the phases to come what is left until the deadline (less the time
 * reserved for the task drain, before the web server's graceful phase is over), never
 * more than the user's own timeout: a phase that overran leaves less to the next instead
 * of each getting a fresh timeout. The lifecycle processor reads the timeout of a phase
 * when it waits for that phase, so the value set last applies. The deadline counts from
 * the start of the shutdown: the close, or the call of the preStop hook that led to it.
 */
public final class ShutdownPhaseTimeouts
		implements BeanPostProcessor, BeanFactoryAware, ApplicationListener<ContextRefreshedEvent> {

	private static final Log logger = LogFactory.getLog(ShutdownPhaseTimeouts.class);

	/**
	 * How soon after the preStop hook answers the platform's SIGTERM is expected: the
	 * kubelet sends it right away; a close that comes later was not started by that call.
	 */
	private static final long SIGTERM_AFTER_HOOK_NANOS = Duration.ofSeconds(5).toNanos();

	/**
	 * The prefix of the names the boundaries that fit each phase to the deadline are
	 * registered under, followed by the phase.
	 */
	private static final String PHASE_REFIT_BEAN_NAME_PREFIX = "gracefulShutdown.phaseTimeout.";

	private final ObjectProvider<DrainBudget> budget;

	/**
	 * The clock a test sets; {@link System#nanoTime()} when {@code null}, without a
	 * lambda class loaded at startup for it.
	 */
	private final @Nullable LongSupplier clock;

	private volatile @Nullable DefaultLifecycleProcessor lifecycleProcessor;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private volatile @Nullable Long shutdownStartNanos;

	/**
	 * The calls of the preStop hook that may still lead to the close; guarded by itself.
	 */
	private final List<PreStopCall> preStopCalls = new ArrayList<>();

	ShutdownPhaseTimeouts(ObjectProvider<DrainBudget> budget) {
		this(budget, null);
	}

	ShutdownPhaseTimeouts(ObjectProvider<DrainBudget> budget, @Nullable LongSupplier clock) {
		this.budget = budget;
		this.clock = clock;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		if (beanFactory instanceof ConfigurableListableBeanFactory listableBeanFactory) {
			this.beanFactory = listableBeanFactory;
		}
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
	 * Records a call of the preStop hook, which starts the platform's termination grace
	 * period when the platform makes it: the platform sends SIGTERM once the hook has
	 * answered. The shutdown counts its deadline from the call when the close begins
	 * while the call is still waiting, or within a few seconds of its answer.
	 * @return what to run once the call has answered, in a {@code finally} block: a call
	 * never said to have answered counts as still waiting
	 */
	public Runnable preStopHookCalled() {
		long now = nanoTime();
		PreStopCall call = new PreStopCall(now);
		synchronized (this.preStopCalls) {
			for (Iterator<PreStopCall> earlier = this.preStopCalls.iterator(); earlier.hasNext();) {
				if (!earlier.next().couldHaveStartedAShutdownAt(now)) {
					earlier.remove();
				}
			}
			this.preStopCalls.add(call);
		}
		return call::answered;
	}

	/**
	 * Records when the shutdown began, the moment the shutdown's deadline counts from:
	 * the start of the drain when the close started it; otherwise (a drain started by the
	 * preStop hook, the endpoint or application code) the call of the preStop hook that
	 * led to the close, or else the start of the close. That call is still waiting or
	 * answered just before; of several such calls, one that answered before the last one
	 * started did not lead to the close (a call by hand right before the pod is deleted
	 * is followed by the platform's call, not by the close), and of those that overlap
	 * the last one, the earliest counts. A call made by hand long before the pod was
	 * stopped leaves the shutdown its whole grace period.
	 * @param drain the running drain
	 * @return when the shutdown began, a reading of the clock ({@link System#nanoTime()})
	 */
	long shutdownStarted(Drain drain) {
		long now = nanoTime();
		long start = now;
		if (drain.trigger() == DrainTrigger.CONTEXT_CLOSE) {
			start = now - drain.elapsedNanos();
		}
		else {
			synchronized (this.preStopCalls) {
				@Nullable PreStopCall last = null;
				for (PreStopCall call : this.preStopCalls) {
					if (call.couldHaveStartedAShutdownAt(now)
							&& (last == null || call.startNanos - last.startNanos > 0)) {
						last = call;
					}
				}
				for (PreStopCall call : this.preStopCalls) {
					if (last != null && call.couldHaveStartedAShutdownAt(now) && !call.answeredBefore(last.startNanos)
							&& call.startNanos - start < 0) {
						start = call.startNanos;
					}
				}
			}
		}
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
		return (start != null) ? budget.phaseTimeoutLeft(nanoTime() - start) : budget.inFlightTimeout();
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
		return (start != null) ? budget.timeLeftAfterSteps(nanoTime() - start) : budget.inFlightTimeout();
	}

	/**
	 * Returns what is left until the shutdown's deadline, however the phases share it.
	 * Before the shutdown began, the whole deadline.
	 * @return the time left, zero or positive
	 */
	public Duration untilDeadline() {
		Long start = this.shutdownStartNanos;
		Duration deadline = this.budget.getObject().deadline();
		Duration left = (start != null) ? deadline.minusNanos(nanoTime() - start) : deadline;
		return left.isNegative() ? Duration.ZERO : left;
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
		if (this.shutdownStartNanos != null) {
			setTimeoutPerShutdownPhase(timeLeft());
		}
	}

	/**
	 * Places a {@link DrainPhaseBoundary} in each lifecycle phase of the context's
	 * lifecycle beans, which gives the phase what is left of the shutdown's deadline
	 * right before it waits for them: the lifecycle processor gives every phase without a
	 * timeout of its own the same timeout, so otherwise a phase that overran, or a step
	 * of the close that runs after the window (the WebSocket drain), would leave each
	 * phase after it as long again. Done once the context is refreshed, when its
	 * lifecycle processor and its lifecycle beans exist, lazy ones included, rather than
	 * at close, as registering a bean takes the lock on singletons, which a bean still
	 * being created when the shutdown begins would hold. Lifecycle beans created later
	 * share the timeout set last.
	 * @param event the refresh of a context: this one, or a child whose events reach it
	 */
	@Override
	public void onApplicationEvent(ContextRefreshedEvent event) {
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		if (beanFactory == null || event.getApplicationContext().getAutowireCapableBeanFactory() != beanFactory
				|| this.lifecycleProcessor == null) {
			return;
		}
		try {
			for (int phase : phasesOfLifecycles(beanFactory)) {
				String name = PHASE_REFIT_BEAN_NAME_PREFIX + phase;
				if (!beanFactory.containsSingleton(name)) {
					DrainPhaseBoundary boundary = new DrainPhaseBoundary(phase, () -> fitToDeadline(phase));
					boundary.start();
					beanFactory.registerSingleton(name, boundary);
				}
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not fit each lifecycle phase to the shutdown's deadline; the phases will share the"
					+ " time left when the propagation window ends", ex);
		}
	}

	/**
	 * Returns the phases of the lifecycle beans whose stop the lifecycle processor may
	 * wait for, the starter's own phase boundaries left out: they stop at once.
	 */
	private static Set<Integer> phasesOfLifecycles(ConfigurableListableBeanFactory beanFactory) {
		Set<Integer> phases = new TreeSet<>();
		for (String name : beanFactory.getBeanNamesForType(SmartLifecycle.class, false, false)) {
			String beanName = BeanFactoryUtils.transformedBeanName(name);
			if (beanFactory.containsSingleton(beanName)
					&& beanFactory.getSingleton(beanName) instanceof SmartLifecycle lifecycle
					&& !(lifecycle instanceof DrainPhaseBoundary)) {
				phases.add(lifecycle.getPhase());
			}
		}
		return phases;
	}

	/**
	 * Gives the lifecycle phase about to wait what is left of the shutdown's deadline:
	 * before the in-flight drain, less the time reserved for the steps after it; after
	 * it, what is left until the deadline. Does nothing outside a shutdown.
	 */
	private void fitToDeadline(int phase) {
		if (this.shutdownStartNanos != null) {
			setTimeoutPerShutdownPhase(
					(phase >= WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE) ? timeLeft() : timeUntilDeadline());
		}
	}

	private void setTimeoutPerShutdownPhase(Duration timeout) {
		DefaultLifecycleProcessor lifecycleProcessor = this.lifecycleProcessor;
		if (lifecycleProcessor != null) {
			lifecycleProcessor.setTimeoutPerShutdownPhase(timeout.toMillis());
			logger.debug("Lifecycle timeout per shutdown phase set to " + Durations.format(timeout)
					+ ", what is left until the shutdown's deadline");
		}
	}

	private long nanoTime() {
		LongSupplier clock = this.clock;
		return (clock != null) ? clock.getAsLong() : System.nanoTime();
	}

	/**
	 * One call of the preStop hook, from its start until it answers. Loaded only when the
	 * hook is called: no method of the enclosing class takes or returns it, so the
	 * introspection of the bean at startup does not load it.
	 */
	private final class PreStopCall {

		private final long startNanos;

		private volatile @Nullable Long answeredNanos;

		private PreStopCall(long startNanos) {
			this.startNanos = startNanos;
		}

		void answered() {
			this.answeredNanos = ShutdownPhaseTimeouts.this.nanoTime();
		}

		/**
		 * Returns whether a close beginning at the given time may be the platform's next
		 * step after this call: the call is still waiting, or answered just before.
		 */
		boolean couldHaveStartedAShutdownAt(long nanos) {
			Long answered = this.answeredNanos;
			return answered == null || nanos - answered <= SIGTERM_AFTER_HOOK_NANOS;
		}

		boolean answeredBefore(long nanos) {
			Long answered = this.answeredNanos;
			return answered != null && answered - nanos < 0;
		}

	}

}
