package io.github.gracefulshutdown.kubernetes;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PodEndpointSlices}: which conditions of the pod's endpoint still route
 * to it.
 */
class PodEndpointSlicesTests {

	@ParameterizedTest(name = "ready {0}, serving {1}: removed {2}")
	@CsvSource(nullValues = "unknown", value = { "true, true, false", "unknown, unknown, false", "false, true, false",
			"false, unknown, true", "false, false, true", "unknown, false, false" })
	void thePodIsRemovedOnlyWhenItsEndpointIsNeitherReadyNorServing(@Nullable Boolean ready, @Nullable Boolean serving,
			boolean removed) {
		PodEndpointSlices slices = new PodEndpointSlices("shop-7f9c", null);

		slices.update(slice(ready, serving));

		assertThat(slices.listsPod()).isTrue();
		assertThat(slices.podRemoved()).isEqualTo(removed);
	}

	private static Map<String, Object> slice(@Nullable Boolean ready, @Nullable Boolean serving) {
		Map<String, Object> conditions = new HashMap<>();
		if (ready != null) {
			conditions.put("ready", ready);
		}
		if (serving != null) {
			conditions.put("serving", serving);
		}
		Map<String, Object> endpoint = Map.of("addresses", List.of("10.1.2.3"), "conditions", conditions, "targetRef",
				Map.of("kind", "Pod", "name", "shop-7f9c"));
		return Map.of("metadata", Map.of("name", "shop-abc12"), "endpoints", List.of(endpoint));
	}

}
