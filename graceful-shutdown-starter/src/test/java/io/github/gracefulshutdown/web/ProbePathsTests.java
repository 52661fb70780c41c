package io.github.gracefulshutdown.web;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ProbePaths}.
 */
class ProbePathsTests {

	private static final List<String> ENDPOINT_PATHS = List.of("/health", "/prometheus");

	private static final List<String> ADDITIONAL_PATHS = List.of("/livez", "/readyz");

	@Test
	void whenTheManagementPortIsSeparateThenOnlyTheAdditionalPathsAreProbes() {
		ProbePaths probes = ProbePaths.onMainPort(true, "", ENDPOINT_PATHS, ADDITIONAL_PATHS);

		assertThat(probes.paths()).containsExactly("/livez", "/readyz");
		assertThat(probes.matches("/livez", 0)).isTrue();
		assertThat(probes.matches("/health", 0)).isFalse();
		assertThat(probes.matches("/hello", 0)).isFalse();
	}

	@Test
	void whenTheManagementPortIsSeparateThenTheBasePathIsNotAProbePath() {
		ProbePaths probes = ProbePaths.onMainPort(true, "/actuator", List.of("/actuator/health"), List.of());

		assertThat(probes.paths()).isEmpty();
		assertThat(probes.matches("/actuator/health", 0)).isFalse();
	}

	@Test
	void whenThePortIsSharedThenEverythingBelowTheBasePathIsAProbe() {
		ProbePaths probes = ProbePaths.onMainPort(false, "/actuator", List.of("/actuator/health"), ADDITIONAL_PATHS);

		assertThat(probes.paths()).containsExactly("/livez", "/readyz", "/actuator");
		assertThat(probes.matches("/actuator", 0)).isTrue();
		assertThat(probes.matches("/actuator/health/readiness", 0)).isTrue();
		assertThat(probes.matches("/actuator/prometheus", 0)).isTrue();
		assertThat(probes.matches("/readyz", 0)).isTrue();
		assertThat(probes.matches("/hello", 0)).isFalse();
	}

	@Test
	void whenTheBasePathIsTheRootThenOnlyTheExposedEndpointsAndAdditionalPathsAreProbes() {
		for (String rootBasePath : List.of("", "/")) {
			ProbePaths probes = ProbePaths.onMainPort(false, rootBasePath, ENDPOINT_PATHS, ADDITIONAL_PATHS);

			assertThat(probes.paths()).containsExactly("/livez", "/readyz", "/health", "/prometheus");
			assertThat(probes.matches("/health", 0)).isTrue();
			assertThat(probes.matches("/health/liveness", 0)).isTrue();
			assertThat(probes.matches("/prometheus", 0)).isTrue();
			assertThat(probes.matches("/livez", 0)).isTrue();
			assertThat(probes.matches("/", 0)).isFalse();
			assertThat(probes.matches("/hello", 0)).isFalse();
			assertThat(probes.matches("/metrics", 0)).isFalse();
		}
	}

	@Test
	void aProbePathMatchesWholePathSegmentsOnly() {
		ProbePaths probes = ProbePaths.of(List.of("/livez", "/actuator/"));

		assertThat(probes.matches("/livez/", 0)).isTrue();
		assertThat(probes.matches("/livez/liveness", 0)).isTrue();
		assertThat(probes.matches("/livezz", 0)).isFalse();
		assertThat(probes.matches("/actuator", 0)).isTrue();
		assertThat(probes.matches("/actuators", 0)).isFalse();
	}

	@Test
	void theContextPathIsSkipped() {
		ProbePaths probes = ProbePaths.of(List.of("/livez"));

		assertThat(probes.matches("/app/livez", "/app".length())).isTrue();
		assertThat(probes.matches("/app/hello", "/app".length())).isFalse();
		assertThat(probes.matches("/livez/app", "/app".length())).isFalse();
	}

	@Test
	void theRootIsNeverAProbePath() {
		ProbePaths probes = ProbePaths.of(List.of("/", "", "livez"));

		assertThat(probes.paths()).containsExactly("/livez");
		assertThat(probes.matches("/", 0)).isFalse();
		assertThat(probes.matches("/hello", 0)).isFalse();
	}

	@Test
	void noProbePathsMatchNoRequest() {
		assertThat(ProbePaths.none().matches("/actuator/health", 0)).isFalse();
		assertThat(ProbePaths.none().matches("/", 0)).isFalse();
	}

}
