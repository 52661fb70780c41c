package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.gracefulshutdown.drain.Durations;

import org.springframework.core.env.Environment;

/**
 * Settings that start fine but defeat the drain, or durations that are almost surely a
 * slip of the unit: each gives a warning at startup that names the property and the fix.
 */
final class DrainSetupWarnings {

	private static final Duration SHORTEST_PLAUSIBLE_WINDOW = Duration.ofMillis(100);

	private static final Duration SHORTEST_PLAUSIBLE_GRACE_PERIOD = Duration.ofSeconds(1);

	private static final Duration LONGEST_PLAUSIBLE_GRACE_PERIOD = Duration.ofHours(1);

	private DrainSetupWarnings() {
	}

	/**
	 * Returns the warnings the given configuration deserves.
	 * @param environment the application's environment
	 * @param properties the drain properties
	 * @return the warnings, empty if there is nothing to say
	 */
	static List<String> of(Environment environment, GracefulShutdownProperties properties) {
		List<String> warnings = new ArrayList<>();
		if (!environment.getProperty("spring.main.register-shutdown-hook", Boolean.class, true)) {
			warnings.add("spring.main.register-shutdown-hook is false: on SIGTERM the JVM stops without closing the "
					+ "application context, so nothing drains and requests in flight are cut off. Remove the property "
					+ "(true is the default), or close the context yourself when the process is asked to stop.");
		}
		if ("immediate".equalsIgnoreCase(environment.getProperty("server.shutdown", ""))) {
			warnings.add("server.shutdown is immediate: the web server does not wait for the requests in flight at the "
					+ "end of the propagation window, it cuts them off. Remove the property (graceful is the default).");
		}
		slip(warnings, DrainBudget.GRACE_PERIOD_PROPERTY, properties.getTerminationGracePeriod(),
				SHORTEST_PLAUSIBLE_GRACE_PERIOD, LONGEST_PLAUSIBLE_GRACE_PERIOD);
		slip(warnings, PropagationWindowSettings.DELAY_PROPERTY, properties.getDelay(), SHORTEST_PLAUSIBLE_WINDOW,
				null);
		if (properties.getWindow().getMode() == GracefulShutdownProperties.Window.Mode.EXTEND) {
			slip(warnings, PropagationWindowSettings.QUIET_PERIOD_PROPERTY, properties.getWindow().getQuietPeriod(),
					SHORTEST_PLAUSIBLE_WINDOW, null);
		}
		if (properties.getAdaptive().isEnabled()) {
			slip(warnings, "graceful-shutdown.adaptive.quiet-period", properties.getAdaptive().getQuietPeriod(),
					SHORTEST_PLAUSIBLE_WINDOW, null);
		}
		return warnings;
	}

	private static void slip(List<String> warnings, String property, Duration value, Duration shortest,
			Duration longest) {
		if (value == null || value.isZero() || value.isNegative()) {
			return;
		}
		if (value.compareTo(shortest) < 0) {
			warnings.add(property + " is " + Durations.format(value) + ", which looks like a slip of the unit: "
					+ "durations without a unit are seconds (10 means 10s). Write the unit, such as "
					+ Durations.format(shortest.multipliedBy(10)) + ", if you meant more.");
		}
		else if (longest != null && value.compareTo(longest) > 0) {
			warnings.add(property + " is " + Durations.format(value) + ", which looks like milliseconds written "
					+ "without a unit: durations without a unit are seconds. Write the unit, such as 30s.");
		}
	}

}
