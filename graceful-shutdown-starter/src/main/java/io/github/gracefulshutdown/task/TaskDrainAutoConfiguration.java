package io.github.gracefulshutdown.task;

import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.DrainPhaseBoundary;
import io.github.gracefulshutdown.autoconfigure.ShutdownPhaseTimeouts;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.Durations;
import io.github.gracefulshutdown.drain.RequestActivity;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigureOrder;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Fallback;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.concurrent.ExecutorConfigurationSupport;

/**
 * Auto-configuration of long-running tasks: the {@link LongRunningTasks} registry and the
 * {@link LongRunningTask @LongRunningTask} annotation and, when the application drains,
 * the wait for its tasks during the drain, the coverage of its executor beans, and their
 * figures. Executors built by Spring Boot's builders are covered through its composition
 * of {@code TaskDecorator} beans; others through a decorator around their own. Without
 * {@code graceful-shutdown.tasks.timeout} the tasks are awaited in the web server's
 * graceful phase and share the in-flight deadline; with it they get a phase and a budget
 * of their own, right after the in-flight drain.
 * <p>
 * Ordered after every auto-configuration without an order of its own: its
 * {@code TaskDecorator} bean would otherwise make a library's
 * {@code @ConditionalOnMissingBean(TaskDecorator.class)} decorator (one that carries a
 * logging or tracing context into tasks, say) back off.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@AutoConfigureOrder(Ordered.LOWEST_PRECEDENCE)
@EnableConfigurationProperties(TaskDrainProperties.class)
@ImportRuntimeHints(ExecutorTaskCoverageRuntimeHints.class)
public final class TaskDrainAutoConfiguration {

	static final String TIMEOUT_PROPERTY = "graceful-shutdown.tasks.timeout";

	/**
	 * The phase tasks are awaited in when they have a timeout of their own: right after
	 * the web server's graceful phase and the report of the requests it cut off.
	 */
	static final int TASK_DRAIN_PHASE = WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE - 2;

	/**
	 * The phase that ends the wait for tasks, right after the phase of its own.
	 */
	static final int TASK_DEADLINE_PHASE = TASK_DRAIN_PHASE - 1;

	/**
	 * The phase that bounds Spring's stop of the executors, right before the phase they
	 * stop in.
	 */
	static final int EXECUTOR_STOP_PHASE = ExecutorConfigurationSupport.DEFAULT_PHASE + 1;

	/**
	 * The registry, there even when the application does not drain (the drain is
	 * disabled, or the application serves no clients), so that code that registers tasks
	 * works everywhere.
	 * @return the registry
	 */
	@Bean
	@ConditionalOnMissingBean
	LongRunningTasks longRunningTasks() {
		return new LongRunningTasks();
	}

	/**
	 * Makes methods annotated with {@link LongRunningTask} register their calls.
	 * @param tasks the registry
	 * @return the post-processor
	 */
	@Bean
	@ConditionalOnMissingBean
	static LongRunningTaskAnnotationPostProcessor longRunningTaskAnnotationPostProcessor(
			ObjectProvider<LongRunningTasks> tasks) {
		return new LongRunningTaskAnnotationPostProcessor(tasks);
	}

	/**
	 * Checks {@code graceful-shutdown.tasks.timeout}.
	 * @param timeout the timeout, or {@code null} when it is not set
	 * @return the timeout
	 * @throws InvalidDrainConfigurationException if it is negative
	 */
	static @Nullable Duration validTimeout(@Nullable Duration timeout) {
		if (timeout != null && timeout.isNegative()) {
			throw new InvalidDrainConfigurationException(
					TIMEOUT_PROPERTY + " is " + Durations.format(timeout) + ", but it must not be negative.",
					"Set " + TIMEOUT_PROPERTY + " to zero or a positive duration, such as 20s, or leave it unset "
							+ "to wait for tasks within the in-flight deadline.");
		}
		return timeout;
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDrain
	static class TaskDrainConfiguration {

		@Bean
		TaskDrain taskDrain(LongRunningTasks tasks, RequestActivity activity,
				ObjectProvider<ExecutorTaskCoverage> coverage) {
			ExecutorTaskCoverage executors = coverage.getIfAvailable();
			if (executors == null) {
				return new TaskDrain(tasks, () -> 0, () -> false, activity::inFlight);
			}
			return new TaskDrain(tasks, executors::queuedTasks, executors::handingOver, activity::inFlight);
		}

		@Bean
		TaskDrainStats taskDrainStats(LongRunningTasks tasks, TaskDrain drain) {
			return new TaskDrainStats(tasks, drain);
		}

		@Bean
		TaskDrainLifecycle taskDrainLifecycle(TaskDrainProperties properties, DrainCoordinator coordinator,
				TaskDrain drain, DrainBudget budget, ShutdownPhaseTimeouts phaseTimeouts) {
			Duration timeout = validTimeout(properties.getTimeout());
			if (timeout == null) {
				return new TaskDrainLifecycle(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE, null, phaseTimeouts,
						"until the in-flight deadline (" + Durations.format(budget.inFlightTimeout())
								+ " after the in-flight drain began)",
						coordinator, drain);
			}
			return new TaskDrainLifecycle(TASK_DRAIN_PHASE, timeout, phaseTimeouts,
					"at most " + Durations.format(timeout) + " (" + TIMEOUT_PROPERTY + ")", coordinator, drain);
		}

		@Bean
		DrainPhaseBoundary taskDeadlineReporter(TaskDrainProperties properties, DrainCoordinator coordinator,
				TaskDrain drain) {
			String gracePeriod = "together with terminationGracePeriodSeconds and "
					+ "graceful-shutdown.termination-grace-period, if they should finish.";
			String advice = (properties.getTimeout() != null) ? "Raise " + TIMEOUT_PROPERTY + ", " + gracePeriod
					: "Set " + TIMEOUT_PROPERTY + " to give them a budget of their own, or raise "
							+ "spring.lifecycle.timeout-per-shutdown-phase, " + gracePeriod;
			return new DrainPhaseBoundary(TASK_DEADLINE_PHASE, new TaskDeadlineReporter(advice, coordinator, drain));
		}

		@Bean
		@ConditionalOnProperty(TIMEOUT_PROPERTY)
		DrainBudget.Allotment taskDrainAllotment(TaskDrainProperties properties) {
			Duration timeout = validTimeout(properties.getTimeout());
			return new DrainBudget.Allotment("task drain", TIMEOUT_PROPERTY,
					(timeout != null) ? timeout : Duration.ZERO, true);
		}

		@Bean
		@ConditionalOnProperty(TIMEOUT_PROPERTY)
		static TaskPhaseTimeoutPostProcessor taskPhaseTimeoutPostProcessor(Environment environment) {
			Duration timeout = validTimeout(Binder.get(environment)
				.bind("graceful-shutdown.tasks", TaskDrainProperties.class)
				.map(TaskDrainProperties::getTimeout)
				.orElse(Duration.ZERO));
			return new TaskPhaseTimeoutPostProcessor(TASK_DRAIN_PHASE, (timeout != null) ? timeout : Duration.ZERO);
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnDrain
	@ConditionalOnBooleanProperty(name = "graceful-shutdown.tasks.executors.enabled", matchIfMissing = true)
	static class ExecutorCoverageConfiguration {

		@Bean
		static ExecutorTaskCoverage executorTaskCoverage(ObjectProvider<LongRunningTasks> tasks) {
			return new ExecutorTaskCoverage(tasks);
		}

		/**
		 * The decorator that Spring Boot composes with the application's
		 * {@code TaskDecorator} beans for the executors its builders build. A fallback
		 * candidate, so that code that injects the application's one
		 * {@code TaskDecorator} still gets it.
		 * @param coverage the coverage of executors
		 * @param tasks the registry
		 * @return the decorator
		 */
		@Bean
		@Fallback
		SharedTaskRegisteringDecorator executorTaskDecorator(ExecutorTaskCoverage coverage, LongRunningTasks tasks) {
			return coverage.sharedDecorator(tasks);
		}

		@Bean
		BuilderBuiltExecutors builderBuiltExecutors(ExecutorTaskCoverage coverage) {
			return coverage.builderBuiltExecutors();
		}

		@Bean
		FixedDelayTaskCoverage fixedDelayTaskCoverage(LongRunningTasks tasks) {
			return new FixedDelayTaskCoverage(tasks);
		}

		/**
		 * Bounds Spring's stop of the executors, right before their lifecycle phase.
		 * @param coordinator the application's drain
		 * @param drain the task drain
		 * @param coverage the coverage of executors
		 * @param phaseTimeouts the timeouts of the lifecycle phases and the shutdown's
		 * deadline
		 * @return the boundary
		 */
		@Bean
		DrainPhaseBoundary executorStopWaits(DrainCoordinator coordinator, TaskDrain drain,
				ExecutorTaskCoverage coverage, ShutdownPhaseTimeouts phaseTimeouts) {
			return new DrainPhaseBoundary(EXECUTOR_STOP_PHASE,
					new ExecutorStopWaits(coordinator, drain, coverage, phaseTimeouts));
		}

	}

}
