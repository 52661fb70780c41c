package io.github.gracefulshutdown.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainListener;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.Durations;
import io.github.gracefulshutdown.drain.EndpointAwarePropagationWindow;
import io.github.gracefulshutdown.drain.EndpointRemovalWatch;
import io.github.gracefulshutdown.drain.ExtendingPropagationWindow;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.drain.PropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.drain.event.DrainEventPublisher;
import io.github.gracefulshutdown.report.DrainReportContributor;
import io.github.gracefulshutdown.report.DrainReportLogger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanCreationException;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration that drains an application that serves, a web application (servlet
 * or reactive) or a Spring gRPC server with or without one, before it stops: readiness
 * goes down at once, the application keeps serving for a propagation window, and only
 * then do its servers' graceful shutdowns begin, all within the termination grace period.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration",
		"org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration" })
@Conditional(OnServingApplicationCondition.class)
@ConditionalOnBooleanProperty(name = "graceful-shutdown.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GracefulShutdownProperties.class)
public final class GracefulShutdownAutoConfiguration {

	/**
	 * Floor of the propagation window on Kubernetes when {@code graceful-shutdown.delay}
	 * is not set.
	 */
	static final Duration KUBERNETES_DELAY = Duration.ofSeconds(10);

	private static final String ENDPOINT_WATCH_PROPERTY = PropagationWindowSettings.WINDOW_PREFIX
			+ ".endpoint-watch.enabled";

	/**
	 * Name of the budget's bean, which tells {@link ConditionalOnDrain} that the drain is
	 * set up.
	 */
	static final String DRAIN_BUDGET_BEAN_NAME = "drainBudget";

	private static final Log logger = LogFactory.getLog(GracefulShutdownAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	RequestActivity requestActivity() {
		return new RequestActivity();
	}

	@Bean
	@ConditionalOnMissingBean
	PropagationWindow propagationWindow(GracefulShutdownProperties properties, Environment environment,
			RequestActivity activity, ObjectProvider<DrainBudget.Allotment> otherSteps,
			ObjectProvider<EndpointRemovalWatch> endpointWatch) {
		PropagationWindowSettings settings = PropagationWindowSettings.of(properties, environment,
				defaultDelay(environment));
		EndpointRemovalWatch watch = endpointWatch.getIfAvailable();
		if (!settings.extendsWhileRequestsArrive()) {
			if (watch != null) {
				throw new InvalidDrainConfigurationException(
						ENDPOINT_WATCH_PROPERTY
								+ " is true, but the window does not extend: it needs a floor to fall back to ("
								+ PropagationWindowSettings.DELAY_PROPERTY + " above 0) and "
								+ PropagationWindowSettings.MODE_PROPERTY + "=extend.",
						"Remove " + PropagationWindowSettings.MODE_PROPERTY + "=fixed and set "
								+ PropagationWindowSettings.DELAY_PROPERTY + " above 0, or turn "
								+ ENDPOINT_WATCH_PROPERTY + " off.");
			}
			return new FixedPropagationWindow(settings.floor());
		}
		Duration ceiling = ceiling(settings, properties, otherSteps, explicitInFlightTimeout(environment));
		if (watch != null) {
			return new EndpointAwarePropagationWindow(settings.floor(), settings.quietPeriod(), ceiling, activity,
					watch);
		}
		return new ExtendingPropagationWindow(settings.floor(), settings.quietPeriod(), ceiling, activity);
	}

	private static Duration defaultDelay(Environment environment) {
		return CloudPlatform.KUBERNETES.isActive(environment) ? KUBERNETES_DELAY : Duration.ZERO;
	}

	private static Duration ceiling(PropagationWindowSettings settings, GracefulShutdownProperties properties,
			ObjectProvider<DrainBudget.Allotment> otherSteps, @Nullable Duration explicitInFlightTimeout) {
		if (settings.ceiling() != null) {
			return settings.ceiling();
		}
		List<DrainBudget.Allotment> stepsAfterWindow = new ArrayList<>();
		stepsAfterWindow.add(listenerAllotment(properties.getListenerTimeout(), properties.getListenerTimeout()));
		stepsAfterWindow.addAll(otherSteps.orderedStream().toList());
		return DrainBudget.windowCeiling(properties.getTerminationGracePeriod(), properties.getSafetyMargin(),
				stepsAfterWindow, explicitInFlightTimeout, settings.floor());
	}

	@Bean
	@ConditionalOnMissingBean
	DrainCoordinator drainCoordinator(PropagationWindow window, GracefulShutdownProperties properties,
			ObjectProvider<DrainListener> listeners, DrainEventPublisher events,
			ConfigurableListableBeanFactory beanFactory) {
		Duration listenerTimeout = InvalidDrainConfigurationException
			.requirePositive(DrainBudget.LISTENER_TIMEOUT_PROPERTY, properties.getListenerTimeout(), "1s");
		return new DrainCoordinator(window,
				() -> Stream.concat(drainListeners(listeners, beanFactory).stream(), events.listeners().stream())
					.toList(),
				Clock.systemUTC(), listenerTimeout);
	}

	/**
	 * Returns the drain listener beans in their order. One that cannot be created (a lazy
	 * bean whose dependency fails at shutdown) is logged and left out, so that the
	 * others, the report among them, still hear of the drain.
	 */
	private static List<DrainListener> drainListeners(ObjectProvider<DrainListener> listeners,
			ConfigurableListableBeanFactory beanFactory) {
		Set<Class<?>> leftOut = new HashSet<>();
		while (true) {
			try {
				return listeners.orderedStream((type) -> !leftOut.contains(type)).toList();
			}
			catch (BeanCreationException ex) {
				String name = ex.getBeanName();
				Class<?> type = (name != null) ? beanFactory.getType(name, false) : null;
				if (type == null || !leftOut.add(type)) {
					throw ex;
				}
				logger.error("Drain listener '" + name + "' could not be created; the drain goes on without it", ex);
			}
		}
	}

	@Bean(DRAIN_BUDGET_BEAN_NAME)
	DrainBudget drainBudget(GracefulShutdownProperties properties, PropagationWindow window,
			ObjectProvider<DrainBudget.Allotment> otherSteps, Environment environment) {
		Duration inFlightTimeout = explicitInFlightTimeout(environment);
		DrainBudget budget = planBudget(properties, window, windowProperty(properties, window), otherSteps,
				inFlightTimeout);
		logger.info("Drain budget: " + budget);
		for (String warning : DrainSetupWarnings.of(environment, properties)) {
			logger.warn(warning);
		}
		if (properties.getDelay() == null && !CloudPlatform.KUBERNETES.isActive(environment)) {
			warnIfUnfitForKubernetes(properties, otherSteps, environment, inFlightTimeout);
		}
		return budget;
	}

	private static String windowProperty(GracefulShutdownProperties properties, PropagationWindow window) {
		if (window.minLength().equals(window.maxLength()) || properties.getAdaptive().isEnabled()) {
			return PropagationWindowSettings.DELAY_PROPERTY;
		}
		return PropagationWindowSettings.MAX_PROPERTY;
	}

	private static DrainBudget planBudget(GracefulShutdownProperties properties, PropagationWindow window,
			String windowProperty, ObjectProvider<DrainBudget.Allotment> otherSteps,
			@Nullable Duration explicitInFlightTimeout) {
		Duration gracePeriod = InvalidDrainConfigurationException.requirePositive(DrainBudget.GRACE_PERIOD_PROPERTY,
				properties.getTerminationGracePeriod(), "30s");
		Duration safetyMargin = InvalidDrainConfigurationException.requirePositive(DrainBudget.SAFETY_MARGIN_PROPERTY,
				properties.getSafetyMargin(), "2s");
		Duration listenerTimeout = InvalidDrainConfigurationException
			.requirePositive(DrainBudget.LISTENER_TIMEOUT_PROPERTY, properties.getListenerTimeout(), "1s");
		List<DrainBudget.Allotment> steps = new ArrayList<>();
		steps.add(new DrainBudget.Allotment(DrainBudget.WINDOW_STEP, windowProperty, window.maxLength()));
		steps.add(listenerAllotment(listenerTimeout, window.maxLength()));
		steps.addAll(otherSteps.orderedStream().toList());
		return DrainBudget.plan(gracePeriod, window.minLength(), steps, explicitInFlightTimeout, safetyMargin);
	}

	private static DrainBudget.Allotment listenerAllotment(Duration listenerTimeout, Duration window) {
		return new DrainBudget.Allotment("drain listeners", DrainBudget.LISTENER_TIMEOUT_PROPERTY,
				DrainCoordinator.longestWindowEnd(window, listenerTimeout).minus(window));
	}

	private static @Nullable Duration explicitInFlightTimeout(Environment environment) {
		Duration timeout = Binder.get(environment)
			.bind(DrainBudget.IN_FLIGHT_TIMEOUT_PROPERTY, Duration.class)
			.orElse(null);
		return (timeout != null)
				? InvalidDrainConfigurationException.requireNotNegative(DrainBudget.IN_FLIGHT_TIMEOUT_PROPERTY, timeout)
				: null;
	}

	/**
	 * Off Kubernetes the window defaults to zero, so a configuration whose budget only
	 * fits without a window passes on a laptop and in CI, then fails at startup on
	 * Kubernetes. Says so before the first rollout.
	 */
	private static void warnIfUnfitForKubernetes(GracefulShutdownProperties properties,
			ObjectProvider<DrainBudget.Allotment> otherSteps, Environment environment,
			@Nullable Duration explicitInFlightTimeout) {
		try {
			PropagationWindowSettings settings = PropagationWindowSettings.of(properties, environment,
					KUBERNETES_DELAY);
			PropagationWindow window = new FixedPropagationWindow(settings.floor());
			if (settings.extendsWhileRequestsArrive()) {
				window = new ExtendingPropagationWindow(settings.floor(), settings.quietPeriod(),
						ceiling(settings, properties, otherSteps, explicitInFlightTimeout), new RequestActivity());
			}
			planBudget(properties, window, windowProperty(properties, window), otherSteps, explicitInFlightTimeout);
		}
		catch (InvalidDrainConfigurationException ex) {
			logger.warn("This configuration will fail to start on Kubernetes, where "
					+ PropagationWindowSettings.DELAY_PROPERTY + " defaults to " + Durations.format(KUBERNETES_DELAY)
					+ ": " + ex.getMessage() + System.lineSeparator() + "Action: " + ex.getAction() + " Or set "
					+ PropagationWindowSettings.DELAY_PROPERTY + " explicitly.");
		}
	}

	@Bean
	static ShutdownPhaseTimeouts shutdownPhaseTimeouts(ObjectProvider<DrainBudget> budget) {
		return new ShutdownPhaseTimeouts(budget);
	}

	@Bean
	static DrainAwareAvailabilityPostProcessor drainAwareAvailabilityPostProcessor(
			ObjectProvider<DrainCoordinator> coordinator) {
		return new DrainAwareAvailabilityPostProcessor(coordinator);
	}

	/**
	 * The watchdog, with the logging system's shutdown handler taken now: by the time it
	 * fires the context may have destroyed its singletons, the logging system among them.
	 * @param coordinator the application's drain
	 * @param budget the budget the shutdown must fit in
	 * @param loggingSystem Spring Boot's logging system, if it runs
	 * @return the watchdog
	 */
	@Bean
	ShutdownWatchdog shutdownWatchdog(DrainCoordinator coordinator, DrainBudget budget,
			ObjectProvider<LoggingSystem> loggingSystem) {
		LoggingSystem system = loggingSystem.getIfAvailable();
		Runnable stopLogging = (system != null) ? system.getShutdownHandler() : null;
		return new ShutdownWatchdog(coordinator, budget, (stopLogging != null) ? stopLogging : () -> {
		}, Runtime.getRuntime()::halt);
	}

	@Bean
	ReadinessDrainListener readinessDrainListener(ApplicationEventPublisher publisher,
			ObjectProvider<ApplicationAvailability> availability) {
		return new ReadinessDrainListener(publisher, availability);
	}

	@Bean
	DrainEventPublisher drainEventPublisher(ApplicationContext context) {
		if (context instanceof AbstractApplicationContext abstractContext) {
			return DrainEventPublisher.forContext(abstractContext);
		}
		return new DrainEventPublisher(List::of);
	}

	/**
	 * The report, written first when the drain completes: the listeners of a milestone
	 * share one timeout, and a slow listener before the report could leave it to the last
	 * moments of the grace period, where the watchdog may end the process first.
	 */
	@Bean
	@Order(Ordered.HIGHEST_PRECEDENCE)
	DrainReportLogger drainReportLogger(GracefulShutdownProperties properties,
			ObjectProvider<DrainReportContributor> contributors) {
		String path = properties.getTerminationMessagePath();
		return new DrainReportLogger(() -> contributors.orderedStream().toList(),
				StringUtils.hasText(path) ? Path.of(path) : null);
	}

	@Bean
	DrainReportContributor requestActivityReportContributor(RequestActivity activity) {
		return (drain, figures) -> {
			figures.put("requestsInFlight", activity.inFlight());
			figures.put("requestsReceivedWhileDraining", activity.receivedWhileDraining());
			figures.put("propagationLagMillis", (drain != null)
					? activity.lastRequestAfterDrainStart(drain).map(Duration::toMillis).orElse(null) : null);
			figures.put("requestsCutOff", activity.cutOff());
		};
	}

	@Bean
	ContextClosedDrainTrigger contextClosedDrainTrigger(ConfigurableApplicationContext context,
			DrainCoordinator coordinator, GracefulShutdownProperties properties, ShutdownWatchdog watchdog,
			ShutdownPhaseTimeouts phaseTimeouts) {
		return new ContextClosedDrainTrigger(context, coordinator, properties.isDrainOnAnyClose(), watchdog,
				phaseTimeouts);
	}

	@Bean
	DrainPhaseBoundary inFlightDrainBoundary(DrainCoordinator coordinator, ShutdownPhaseTimeouts phaseTimeouts) {
		return new DrainPhaseBoundary(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1, () -> {
			phaseTimeouts.fitToDeadline();
			coordinator.beginPhase(DrainPhase.IN_FLIGHT_DRAIN);
		});
	}

	@Bean
	DrainPhaseBoundary drainCompletionBoundary(DrainCoordinator coordinator) {
		return new DrainPhaseBoundary(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1,
				coordinator::completeDrain);
	}

}
