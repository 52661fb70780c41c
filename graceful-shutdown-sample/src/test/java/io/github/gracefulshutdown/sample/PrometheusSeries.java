package io.github.gracefulshutdown.sample;

import java.util.Set;
import java.util.TreeSet;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The names of the series Prometheus stores for the starter's meters, derived from the
 * meters the application registered. Micrometer's Prometheus naming convention turns a
 * meter's name into snake case and appends its base unit ({@code seconds} for a time
 * gauge); the exposition format then appends {@code _total} to a counter's name. Meter
 * types the starter does not use have no mapping here, and fail.
 */
final class PrometheusSeries {

	private static final String STARTER_PREFIX = "graceful.shutdown.";

	private PrometheusSeries() {
	}

	/**
	 * Returns the series names of the starter's meters in the given registry.
	 * @param registry a registry whose naming convention is Prometheus'
	 * @return the series names
	 */
	static Set<String> ofStarterMeters(MeterRegistry registry) {
		Set<String> names = new TreeSet<>();
		for (Meter meter : registry.getMeters()) {
			Meter.Id id = meter.getId();
			if (id.getName().startsWith(STARTER_PREFIX)) {
				names.add(seriesName(id,
						registry.config().namingConvention().name(id.getName(), id.getType(), id.getBaseUnit())));
			}
		}
		return names;
	}

	private static String seriesName(Meter.Id id, String conventionName) {
		return switch (id.getType()) {
			case GAUGE -> conventionName;
			case COUNTER -> conventionName + "_total";
			default -> throw new IllegalStateException(
					"No mapping to a Prometheus series for %s, a %s".formatted(id.getName(), id.getType()));
		};
	}

}
