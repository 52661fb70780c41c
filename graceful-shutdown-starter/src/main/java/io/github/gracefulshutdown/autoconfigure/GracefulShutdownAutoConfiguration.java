package io.github.gracefulshutdown.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import io.github.gracefulshutdown.drain.AdaptivePropagationWindow;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainListener;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.Durations;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.drain.PropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.drain.event.DrainEventPublisher;
import io.github.gracefulshutdown.report.DrainReportContributor;
import io.github.gracefulshutdown.report.DrainReportLogger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.support.AbstractApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration that drains a web application, servlet or reactive, before it stops:
 * readiness goes down at once, the application keeps serving for a propagation window,
 * and only then does the web server's graceful shutdown begin, all within the termination
 * grace period.
 */
@AutoConfiguration
@ConditionalOnClass(WebServerApplicationContext.class)
@ConditionalOnWebApplication
@ConditionalOnBooleanProperty(name = "graceful-shutdown.enabled", matchIfMissing = true)
@EnableConfigurationProperties(GracefulShutdownProperties.class)
public final class GracefulShutdownAutoConfiguration {

	/**
	 * Propagation window used on Kubernetes when {@code graceful-shutdown.delay} is not
	 * set.
	 */
	static final Duration KUBERNETES_DELAY = Duration.ofSeconds(10);

	private static final String DELAY_PROPERTY = "graceful-shutdown.delay";

	private static final String MIN_DELAY_PROPERTY = "graceful-shutdown.adaptive.min-delay";

	private static final String QUIET_PERIOD_PROPERTY = "graceful-shutdown.adaptive.quiet-period";

	private static final Log logger = LogFactory.getLog(GracefulShutdownAutoConfiguration.class);

	@Bean
	@ConditionalOnMissingBean
	RequestActivity requestActivity() {
		return new RequestActivity();
	}

	@Bean
	@ConditionalOnMissingBean
	PropagationWindow propagationWindow(GracefulShutdownProperties properties, Environment environment,
			RequestActivity activity) {
		Duration delay = properties.getDelay();
		if (delay == null) {
			delay = CloudPlatform.KUBERNETES.isActive(environment) ? KUBERNETES_DELAY : Duration.ZERO;
		}
		InvalidDrainConfigurationException.requireNotNegative(DELAY_PROPERTY, delay);
		GracefulShutdownProperties.Adaptive adaptive = properties.getAdaptive();
		if (!adaptive.isEnabled() || delay.isZero()) {
			return new FixedPropagationWindow(delay);
		}
		Duration minDelay = InvalidDrainConfigurationException.requireNotNegative(MIN_DELAY_PROPERTY,
				adaptive.getMinDelay());
		Duration quietPeriod = InvalidDrainConfigurationException.requirePositive(QUIET_PERIOD_PROPERTY,
				adaptive.getQuietPeriod());
		if (minDelay.compareTo(delay) > 0) {
			throw new InvalidDrainConfigurationException(
					MIN_DELAY_PROPERTY + " (" + Durations.format(minDelay) + ") is longer than " + DELAY_PROPERTY + " ("
							+ Durations.format(delay) + "), the longest the adaptive window may last.",
					"Lower " + MIN_DELAY_PROPERTY + " or raise " + DELAY_PROPERTY + ".");
		}
		return new AdaptivePropagationWindow(minDelay, quietPeriod, delay, activity);
	}

	@Bean
	@ConditionalOnMissingBean
	DrainCoordinator drainCoordinator(PropagationWindow window, GracefulShutdownProperties properties,
			ObjectProvider<DrainListener> listeners, DrainEventPublisher events) {
		Duration listenerTimeout = InvalidDrainConfigurationException
			.requireNotNegative(DrainBudget.LISTENER_TIMEOUT_PROPERTY, properties.getListenerTimeout());
		return new DrainCoordinator(window,
				() -> Stream.concat(listeners.orderedStream(), events.listeners().stream()).toList(), Clock.systemUTC(),
				listenerTimeout);
	}

	@Bean
	DrainBudget drainBudget(GracefulShutdownProperties properties, PropagationWindow window,
			ObjectProvider<DrainBudget.Allotment> otherSteps, Environment environment) {
		DrainBudget budget = planBudget(properties, window.maxLength(), otherSteps, environment);
		logger.info("Drain budget: " + budget);
		for (String warning : DrainSetupWarnings.of(environment, properties)) {
			logger.warn(warning);
		}
		if (properties.getDelay() == null && !CloudPlatform.KUBERNETES.isActive(environment)) {
			warnIfUnfitForKubernetes(properties, otherSteps, environment);
		}
		return budget;
	}

	private static DrainBudget planBudget(GracefulShutdownProperties properties, Duration window,
			ObjectProvider<DrainBudget.Allotment> otherSteps, Environment environment) {
		Duration gracePeriod = InvalidDrainConfigurationException.requirePositive(DrainBudget.GRACE_PERIOD_PROPERTY,
				properties.getTerminationGracePeriod());
		Duration safetyMargin = InvalidDrainConfigurationException
			.requireNotNegative(DrainBudget.SAFETY_MARGIN_PROPERTY, properties.getSafetyMargin());
		Duration inFlightTimeout = Binder.get(environment)
			.bind(DrainBudget.IN_FLIGHT_TIMEOUT_PROPERTY, Duration.class)
			.map((timeout) -> InvalidDrainConfigurationException
				.requireNotNegative(DrainBudget.IN_FLIGHT_TIMEOUT_PROPERTY, timeout))
			.orElse(null);
		Duration listenerTimeout = InvalidDrainConfigurationException
			.requireNotNegative(DrainBudget.LISTENER_TIMEOUT_PROPERTY, properties.getListenerTimeout());
		List<DrainBudget.Allotment> steps = new ArrayList<>();
		steps.add(new DrainBudget.Allotment("window", DELAY_PROPERTY, window));
		steps.add(new DrainBudget.Allotment("drain listeners", DrainBudget.LISTENER_TIMEOUT_PROPERTY,
				DrainCoordinator.longestWindowEnd(window, listenerTimeout).minus(window)));
		otherSteps.orderedStream().forEach(steps::add);
		return DrainBudget.plan(gracePeriod, steps, inFlightTimeout, safetyMargin);
	}

	/**
	 * Off Kubernetes the window defaults to zero, so a configuration whose budget only
	 * fits without a window passes on a laptop and in CI, then fails at startup on
	 * Kubernetes. Says so before the first rollout.
	 */
	private static void warnIfUnfitForKubernetes(GracefulShutdownProperties properties,
			ObjectProvider<DrainBudget.Allotment> otherSteps, Environment environment) {
		try {
			planBudget(properties, KUBERNETES_DELAY, otherSteps, environment);
		}
		catch (InvalidDrainConfigurationException ex) {
			logger.warn("This configuration will fail to start on Kubernetes, where " + DELAY_PROPERTY + " defaults to "
					+ Durations.format(KUBERNETES_DELAY) + ": " + ex.getMessage() + System.lineSeparator() + "Action: "
					+ ex.getAction() + " Or set " + DELAY_PROPERTY + " explicitly.");
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

	@Bean
	ShutdownWatchdog shutdownWatchdog(DrainCoordinator coordinator, DrainBudget budget) {
		return new ShutdownWatchdog(coordinator, budget, Runtime.getRuntime()::halt);
	}

	@Bean
	ReadinessDrainListener readinessDrainListener(ApplicationEventPublisher publisher,
			ObjectProvider<ApplicationAvailability> availability) {
		return new ReadinessDrainListener(publisher, availability);
	}

	@Bean
	DrainEventPublisher drainEventPublisher(ApplicationContext context) {
		if (context instanceof AbstractApplicationContext abstractContext) {
			return new DrainEventPublisher(abstractContext::getApplicationListeners);
		}
		return new DrainEventPublisher(List::of);
	}

	@Bean
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
