package io.github.gracefulshutdown.autoconfigure;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.gracefulshutdown.drain.AdaptivePropagationWindow;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainListener;
import io.github.gracefulshutdown.drain.DrainPhase;
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
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.cloud.CloudPlatform;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;

/**
 * Auto-configuration that drains a servlet web application before it stops: readiness
 * goes down at once, the application keeps serving for a propagation window, and only
 * then does the web server's graceful shutdown begin, all within the termination grace
 * period.
 */
@AutoConfiguration
@ConditionalOnClass(WebServerApplicationContext.class)
@ConditionalOnWebApplication(type = Type.SERVLET)
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
	DrainCoordinator drainCoordinator(PropagationWindow window, ObjectProvider<DrainListener> listeners) {
		return new DrainCoordinator(window, () -> listeners.orderedStream().toList(), Clock.systemUTC());
	}

	@Bean
	DrainBudget drainBudget(GracefulShutdownProperties properties, PropagationWindow window,
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
		List<DrainBudget.Allotment> steps = new ArrayList<>();
		steps.add(new DrainBudget.Allotment("window", DELAY_PROPERTY, window.maxLength()));
		otherSteps.orderedStream().forEach(steps::add);
		DrainBudget budget = DrainBudget.plan(gracePeriod, steps, inFlightTimeout, safetyMargin);
		logger.info("Drain budget: " + budget);
		return budget;
	}

	@Bean
	static InFlightTimeoutPostProcessor inFlightTimeoutPostProcessor(ObjectProvider<DrainBudget> budget) {
		return new InFlightTimeoutPostProcessor(budget);
	}

	@Bean
	ReadinessDrainListener readinessDrainListener(ApplicationEventPublisher publisher,
			ObjectProvider<ApplicationAvailability> availability) {
		return new ReadinessDrainListener(publisher, availability);
	}

	@Bean
	DrainEventPublisher drainEventPublisher(ApplicationEventPublisher publisher) {
		return new DrainEventPublisher(publisher);
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
	ContextClosedDrainTrigger contextClosedDrainTrigger(ApplicationContext context, DrainCoordinator coordinator) {
		return new ContextClosedDrainTrigger(context, coordinator);
	}

	@Bean
	DrainPhaseBoundary inFlightDrainBoundary(DrainCoordinator coordinator) {
		return new DrainPhaseBoundary(WebServerApplicationContext.GRACEFUL_SHUTDOWN_PHASE + 1,
				() -> coordinator.beginPhase(DrainPhase.IN_FLIGHT_DRAIN));
	}

	@Bean
	DrainPhaseBoundary drainCompletionBoundary(DrainCoordinator coordinator) {
		return new DrainPhaseBoundary(WebServerApplicationContext.START_STOP_LIFECYCLE_PHASE - 1,
				coordinator::completeDrain);
	}

}
