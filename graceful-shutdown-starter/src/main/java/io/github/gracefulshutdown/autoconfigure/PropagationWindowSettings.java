package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.util.Map;

import io.github.gracefulshutdown.drain.Durations;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The propagation window as the properties describe it: its floor, and for a window that
 * extends while requests arrive, its quiet period and the ceiling the user set, if any.
 * Reads the deprecated {@code graceful-shutdown.adaptive.*} properties with their old
 * meaning, and refuses them together with {@code graceful-shutdown.window.*}.
 *
 * @param floor the shortest the window lasts, its whole length when it does not extend
 * @param quietPeriod how long without a request ends a window that extends, or
 * {@code null} for a fixed window
 * @param ceiling the longest the window lasts, or {@code null} to derive it from the
 * budget
 * @param ceilingProperty the property that sets the ceiling
 */
record PropagationWindowSettings(Duration floor, @Nullable Duration quietPeriod, @Nullable Duration ceiling,
		String ceilingProperty) {

	static final String DELAY_PROPERTY = "graceful-shutdown.delay";

	static final String WINDOW_PREFIX = "graceful-shutdown.window";

	static final String MODE_PROPERTY = WINDOW_PREFIX + ".mode";

	static final String QUIET_PERIOD_PROPERTY = WINDOW_PREFIX + ".quiet-period";

	static final String MAX_PROPERTY = WINDOW_PREFIX + ".max";

	private static final String ADAPTIVE_PREFIX = "graceful-shutdown.adaptive";

	private static final String ADAPTIVE_MIN_DELAY_PROPERTY = ADAPTIVE_PREFIX + ".min-delay";

	private static final String ADAPTIVE_QUIET_PERIOD_PROPERTY = ADAPTIVE_PREFIX + ".quiet-period";

	/**
	 * Reads the window's settings.
	 * @param properties the drain properties
	 * @param environment where the properties come from, to tell which are set
	 * @param defaultDelay the delay when {@code graceful-shutdown.delay} is not set
	 * @return the settings
	 * @throws InvalidDrainConfigurationException if they cannot work
	 */
	static PropagationWindowSettings of(GracefulShutdownProperties properties, Environment environment,
			Duration defaultDelay) {
		Duration delay = (properties.getDelay() != null) ? properties.getDelay() : defaultDelay;
		InvalidDrainConfigurationException.requireNotNegative(DELAY_PROPERTY, delay);
		if (properties.getAdaptive().isEnabled()) {
			return adaptive(properties.getAdaptive(), environment, delay);
		}
		GracefulShutdownProperties.Window window = properties.getWindow();
		if (window.getMode() == GracefulShutdownProperties.Window.Mode.FIXED || delay.isZero()) {
			return fixed(delay);
		}
		Duration quietPeriod = InvalidDrainConfigurationException.requirePositive(QUIET_PERIOD_PROPERTY,
				window.getQuietPeriod(), "2s");
		Duration max = window.getMax();
		if (max != null && max.compareTo(delay) < 0) {
			throw new InvalidDrainConfigurationException(
					MAX_PROPERTY + " (" + Durations.format(max) + ") is shorter than " + DELAY_PROPERTY + " ("
							+ Durations.format(delay) + "), the shortest the window lasts.",
					"Raise " + MAX_PROPERTY + " or lower " + DELAY_PROPERTY + ", or remove " + MAX_PROPERTY
							+ " to let the budget set the ceiling.");
		}
		return new PropagationWindowSettings(delay, quietPeriod, max, MAX_PROPERTY);
	}

	private static PropagationWindowSettings adaptive(GracefulShutdownProperties.Adaptive adaptive,
			Environment environment, Duration delay) {
		if (Binder.get(environment).bind(WINDOW_PREFIX, Bindable.mapOf(String.class, String.class)).isBound()) {
			throw new InvalidDrainConfigurationException(
					ADAPTIVE_PREFIX + ".enabled is true and " + WINDOW_PREFIX
							+ ".* is set: the adaptive properties are replaced by the window properties.",
					"Remove " + ADAPTIVE_PREFIX + ".*: set " + DELAY_PROPERTY + " to the shortest window (what "
							+ ADAPTIVE_MIN_DELAY_PROPERTY + " was), " + QUIET_PERIOD_PROPERTY
							+ " to the quiet period and " + MAX_PROPERTY + " to the longest window (what "
							+ DELAY_PROPERTY + " was).");
		}
		if (delay.isZero()) {
			return fixed(delay);
		}
		Duration minDelay = InvalidDrainConfigurationException.requireNotNegative(ADAPTIVE_MIN_DELAY_PROPERTY,
				adaptive.getMinDelay());
		Duration quietPeriod = InvalidDrainConfigurationException.requirePositive(ADAPTIVE_QUIET_PERIOD_PROPERTY,
				adaptive.getQuietPeriod(), "2s");
		if (minDelay.compareTo(delay) > 0) {
			throw new InvalidDrainConfigurationException(
					ADAPTIVE_MIN_DELAY_PROPERTY + " (" + Durations.format(minDelay) + ") is longer than "
							+ DELAY_PROPERTY + " (" + Durations.format(delay)
							+ "), the longest the adaptive window may last.",
					"Lower " + ADAPTIVE_MIN_DELAY_PROPERTY + " or raise " + DELAY_PROPERTY + ".");
		}
		return new PropagationWindowSettings(minDelay, quietPeriod, delay, DELAY_PROPERTY);
	}

	private static PropagationWindowSettings fixed(Duration delay) {
		return new PropagationWindowSettings(delay, null, delay, DELAY_PROPERTY);
	}

	/**
	 * Returns whether the window extends while requests arrive.
	 * @return {@code false} for a fixed window
	 */
	boolean extendsWhileRequestsArrive() {
		return this.quietPeriod != null;
	}

}
