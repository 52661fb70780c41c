package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;

import io.github.gracefulshutdown.drain.Durations;

/**
 * Thrown at startup when the drain configuration cannot work, carrying what is wrong and
 * how to fix it.
 */
public class InvalidDrainConfigurationException extends RuntimeException {

	private final String action;

	/**
	 * Creates an exception.
	 * @param description what is wrong, naming the properties involved
	 * @param action how to fix it
	 */
	public InvalidDrainConfigurationException(String description, String action) {
		super(description);
		this.action = action;
	}

	/**
	 * Returns how to fix the configuration.
	 * @return the action to take
	 */
	public String getAction() {
		return this.action;
	}

	/**
	 * Checks that a duration property is zero or positive.
	 * @param property the name of the property
	 * @param value its value
	 * @return the value
	 * @throws InvalidDrainConfigurationException if the value is negative
	 */
	public static Duration requireNotNegative(String property, Duration value) {
		if (value.isNegative()) {
			throw new InvalidDrainConfigurationException(
					property + " is " + Durations.format(value) + ", but it must not be negative.",
					"Set " + property + " to zero or a positive duration, such as 10s.");
		}
		return value;
	}

	static Duration requirePositive(String property, Duration value, String example) {
		if (value.isNegative() || value.isZero()) {
			throw new InvalidDrainConfigurationException(
					property + " is " + Durations.format(value) + ", but it must be positive.",
					"Set " + property + " to a positive duration, such as " + example + ".");
		}
		return value;
	}

}
