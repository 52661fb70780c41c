package io.github.gracefulshutdown.grpc;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;

import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.convert.DurationStyle;
import org.springframework.core.env.Environment;

/**
 * Spring gRPC's shutdown grace period, when the user set it: read from the environment
 * under Spring gRPC 1.0's name or Spring Boot 4.1's, in seconds when no unit is given as
 * Spring gRPC reads it, rather than from Spring gRPC's properties class, whose shape
 * differs between the two.
 *
 * @param property the property that sets it
 * @param duration the grace period, zero or positive
 */
record SpringGrpcGracePeriod(String property, Duration duration) {

	private static final List<String> PROPERTIES = List.of(GrpcDrainAutoConfiguration.GRACE_PERIOD_PROPERTY,
			GrpcDrainAutoConfiguration.BOOT_GRACE_PERIOD_PROPERTY);

	/**
	 * Returns the grace period the user set.
	 * @param environment the environment
	 * @return the grace period, or {@code null} if it is not set
	 * @throws InvalidDrainConfigurationException if it is negative: the gRPC server would
	 * wait for its calls forever
	 */
	static @Nullable SpringGrpcGracePeriod of(Environment environment) {
		Binder binder = Binder.get(environment);
		for (String property : PROPERTIES) {
			String value = binder.bind(property, String.class).orElse(null);
			if (value != null) {
				return of(property, DurationStyle.detectAndParse(value.strip(), ChronoUnit.SECONDS));
			}
		}
		return null;
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
