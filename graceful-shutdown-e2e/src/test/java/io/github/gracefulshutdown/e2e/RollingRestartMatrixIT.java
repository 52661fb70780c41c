package io.github.gracefulshutdown.e2e;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.e2e.haproxy.Haproxy;
import io.github.gracefulshutdown.e2e.report.RollingRestartReport;
import io.github.gracefulshutdown.e2e.scenario.HarnessSettings;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioMatrix;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.ScenarioRunner;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario of the {@link ScenarioMatrix}: both routings, every variant, short and
 * long requests, a propagation lag within the starter's window and one beyond it. Writes
 * the results table and the charts, into the documentation when
 * {@code rolling-restart.docs} names it. A benchmark run rather than a test of the build:
 * only the {@code rolling-restart-matrix} Maven profile runs it;
 * {@code rolling-restart.scenarios}, a regular expression, selects scenarios by id.
 */
class RollingRestartMatrixIT {

	@Test
	@Timeout(value = 50, unit = TimeUnit.MINUTES)
	void withTheStarterNoRequestFailsInAnyScenarioWhoseLagFitsTheWindow() throws Exception {
		HarnessSettings settings = HarnessSettings.fromSystemProperties();
		ScenarioRunner runner = new ScenarioRunner(settings);
		Pattern selected = Pattern.compile(System.getProperty("rolling-restart.scenarios", ".*"));
		List<ScenarioResult> results = new ArrayList<>();
		for (Scenario scenario : ScenarioMatrix.all()) {
			if (!selected.matcher(scenario.id()).matches()) {
				continue;
			}
			ScenarioResult result = runner.run(scenario);
			System.out.println(scenario.id() + ": " + result.describeFailures());
			results.add(result);
		}

		String environment = RollingRestartReport.environment(settings, Haproxy.version(settings.haproxyBinary()));
		RollingRestartReport.write(results, environment, settings.outputDirectory());
		String docs = System.getProperty("rolling-restart.docs");
		if (docs != null && !docs.isBlank()) {
			RollingRestartReport.publish(results, environment, Path.of(docs));
		}
		assertThat(results).filteredOn((result) -> result.scenario().variant().isStarter())
			.filteredOn((result) -> result.scenario().lagFitsWindow())
			.allSatisfy((result) -> {
				assertThat(result.failures()).as(result::describeFailures).isEmpty();
				assertThat(result.sigkills()).as("SIGKILLs in %s", result.scenario().title()).isZero();
			});
	}

}
