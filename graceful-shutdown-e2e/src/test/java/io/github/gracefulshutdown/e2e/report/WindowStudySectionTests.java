package io.github.gracefulshutdown.e2e.report;

import java.util.List;

import io.github.gracefulshutdown.e2e.scenario.Variant;
import io.github.gracefulshutdown.e2e.scenario.WindowStudyResult;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WindowStudySection}.
 */
class WindowStudySectionTests {

	@Test
	void rendersTheEnvironmentAChartPerRateAndARowPerScenario() {
		List<WindowStudyResult> results = List.of(
				SampleResults.windowStudy(Variant.starterDefaults().onKubernetes(), 2, 50, 10_100, 0),
				SampleResults.windowStudy(Variant.plainSpringBoot().onKubernetes(), 12, 1, 100, 3));

		String section = WindowStudySection.render(results, "Measured somewhere.", (file) -> "images/x/" + file);

		assertThat(section).startsWith("Measured somewhere.\n\n")
			.contains("![T0 to exit against the lag at 50 per second](images/x/lag-50rps.svg)\n")
			.contains("![T0 to exit against the lag at 1 per second](images/x/lag-1rps.svg)\n")
			.contains("| 50/s | 2 s | starter defaults (floor 10 s, extends) | 100 | 0 |  | 10.1 s / 10.1 s "
					+ "| 10.1 s / 10.1 s | 2.1 s | 0 | [svg](images/x/pure-lag-starter-default-50ms-lag2000ms-50rps.svg) |")
			.contains(
					"| 1/s | 12 s | plain Spring Boot | 100 | 3 | 3 refused | 0.1 s / 0.1 s | 0.1 s / 0.1 s | 12.1 s | 0 |");
	}

}
