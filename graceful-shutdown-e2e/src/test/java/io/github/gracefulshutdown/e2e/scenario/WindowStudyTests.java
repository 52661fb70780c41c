package io.github.gracefulshutdown.e2e.scenario;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WindowStudy} and the variants it compares.
 */
class WindowStudyTests {

	@Test
	void everyScenarioRunsOnThePureLagRouteWithEveryVariantAtEveryLagOnce() {
		assertThat(WindowStudy.scenarios()).hasSize(WindowStudy.PROPAGATION_LAGS.size() * WindowStudy.VARIANTS.size())
			.allSatisfy((scenario) -> assertThat(scenario.routing()).isEqualTo(Routing.PURE_LAG))
			.extracting(Scenario::id)
			.doesNotHaveDuplicates()
			.contains("pure-lag-starter-default-50ms-lag20000ms", "pure-lag-starter-endpoint-aware-50ms-lag2000ms",
					"pure-lag-plain-prestop-50ms-lag12000ms");
	}

	@Test
	void everyVariantRunsOnKubernetesAndOnlyTheEndpointAwareOneWatchesItsSlices() {
		assertThat(WindowStudy.VARIANTS).extracting(Variant::id)
			.containsExactly("starter-default", "starter", "starter-endpoint-aware", "plain", "plain-prestop");
		assertThat(WindowStudy.VARIANTS).allSatisfy(
				(variant) -> assertThat(variant.arguments()).contains("--spring.main.cloud-platform=kubernetes"));
		assertThat(WindowStudy.VARIANTS).filteredOn(Variant::watchesEndpointSlices)
			.singleElement()
			.satisfies((variant) -> assertThat(variant.arguments()).contains(
					"--graceful-shutdown.window.endpoint-watch.enabled=true",
					"--graceful-shutdown.window.endpoint-watch.pod-name=${sample.instance}"));
		assertThat(WindowStudy.VARIANTS.get(1).arguments()).contains("--graceful-shutdown.delay=10000ms",
				"--graceful-shutdown.window.mode=fixed");
	}

	@Test
	void aWindowThatExtendsIsExpectedToCoverEveryLagWithSteadyTrafficOnly() {
		Variant defaults = WindowStudy.VARIANTS.get(0);

		assertThat(WindowStudy.expectsNoFailure(scenario(defaults, 20), 50)).isTrue();
		assertThat(WindowStudy.expectsNoFailure(scenario(defaults, 5), 1)).isTrue();
		assertThat(WindowStudy.expectsNoFailure(scenario(defaults, 12), 1)).isFalse();
	}

	@Test
	void theEndpointAwareWindowIsExpectedToCoverShortLagsWithSparseTraffic() {
		Variant endpointAware = WindowStudy.VARIANTS.get(2);

		assertThat(WindowStudy.expectsNoFailure(scenario(endpointAware, 20), 50)).isTrue();
		assertThat(WindowStudy.expectsNoFailure(scenario(endpointAware, 2), 1)).isTrue();
		assertThat(WindowStudy.expectsNoFailure(scenario(endpointAware, 5), 1)).isFalse();
	}

	@Test
	void aFixedWindowIsExpectedToCoverTheLagsWithinItAndPlainSpringBootNothing() {
		Variant fixed = WindowStudy.VARIANTS.get(1);

		assertThat(WindowStudy.expectsNoFailure(scenario(fixed, 5), 1)).isTrue();
		assertThat(WindowStudy.expectsNoFailure(scenario(fixed, 12), 50)).isFalse();
		assertThat(WindowStudy.expectsNoFailure(scenario(WindowStudy.VARIANTS.get(3), 2), 50)).isFalse();
		assertThat(WindowStudy.expectsNoFailure(scenario(WindowStudy.VARIANTS.get(4), 2), 50)).isFalse();
	}

	@Test
	void theIdOfAResultNamesItsRate() {
		assertThat(WindowStudyResult.id(scenario(WindowStudy.VARIANTS.get(0), 2), 1))
			.isEqualTo("pure-lag-starter-default-50ms-lag2000ms-1rps");
	}

	private static Scenario scenario(Variant variant, int lagSeconds) {
		return new Scenario(Stack.SPRING_MVC, Routing.PURE_LAG, variant, WindowStudy.WORK,
				Duration.ofSeconds(lagSeconds));
	}

}
