package io.github.gracefulshutdown.grpc;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * Spring gRPC's shutdown grace period, when the user set it: read from the environment
 * under the name the application's {@link SpringGrpcLine} gives it, in seconds when no
 * unit is given as Spring gRPC reads it, rather than from Spring gRPC's properties class,
 * whose shape differs between the lines.
 *
 * @param property the property that sets it
 * @param duration the grace period, zero or positive
 */
public record SpringGrpcGracePeriod(String property, Duration duration) {

	/**
	 * Returns the grace period the user set.
	 * @param line the application's line of Spring gRPC auto-configuration
	 * @param environment the environment
	 * @return the grace period, or {@code null} if it is not set
	 * @throws InvalidDrainConfigurationException if it is negative: the gRPC server would
	 * wait for its calls forever
	 */
	static @Nullable SpringGrpcGracePeriod of(SpringGrpcLine line, Environment environment) {
		String property = line.gracePeriodProperty();
		String value = Binder.get(environment).bind(property, String.class).orElse(null);
		return (value != null) ? of(property, DurationStyle.detectAndParse(value.strip(), ChronoUnit.SECONDS)) : null;
	}

	private static SpringGrpcGracePeriod of(String property, Duration duration) {
		if (duration.isNegative()) {
			throw new InvalidDrainConfigurationException(property + " is " + duration
					+ ": the gRPC server would wait for its calls forever, longer than any termination grace period",
					"Remove " + property + ", so that gRPC calls get what the shutdown's deadline leaves,"
							+ " or set it to a duration of zero or more.");
		}
		return new SpringGrpcGracePeriod(property, duration);
	}

}
