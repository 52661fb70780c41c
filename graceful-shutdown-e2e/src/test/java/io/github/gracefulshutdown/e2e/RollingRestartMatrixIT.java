package io.github.gracefulshutdown.e2e;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * Every scenario of the {@link ScenarioMatrix}: both stacks, both routings, every
 * variant, short and long requests, a propagation lag within the starter's window and one
 * beyond it. Writes the results table and the charts, into the documentation when
 * {@code rolling-restart.docs} names it, where the rows of a stack the run did not
 * measure stay, after every scenario. A scenario that cannot run, such as one whose pods
 * do not start in time, fails the test at the end without stopping the others. A
 * benchmark run rather than a test of the build: only the {@code rolling-restart-matrix}
 * Maven profile runs it; {@code rolling-restart.scenarios}, a regular expression, selects
 * scenarios by id.
 */
class RollingRestartMatrixIT {

	@Test
	@Timeout(value = 100, unit = TimeUnit.MINUTES)
	void withTheStarterNoRequestFailsInAnyScenarioWhoseLagFitsTheWindow() throws Exception {
		HarnessSettings settings = HarnessSettings.fromSystemProperties();
		ScenarioRunner runner = new ScenarioRunner(settings);
		Pattern selected = Pattern.compile(System.getProperty("rolling-restart.scenarios", ".*"));
		String haproxyVersion = Haproxy.version(settings.haproxyBinary());
		List<ScenarioResult> results = new ArrayList<>();
		Map<String, String> notRun = new LinkedHashMap<>();
		DoubleSummaryStatistics loadAverages = new DoubleSummaryStatistics();
		for (Scenario scenario : ScenarioMatrix.all()) {
			if (!selected.matcher(scenario.id()).matches()) {
				continue;
			}
			ScenarioResult result;
			try {
				result = runner.run(scenario);
			}
			catch (IOException | RuntimeException ex) {
				// A pod that cannot start in time on a busy machine measures nothing; the
				// other scenarios still can
				notRun.put(scenario.id(), String.valueOf(ex));
				System.out.println(scenario.id() + ": not run: " + ex);
				continue;
			}
			loadAverages.accept(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
			System.out.println(scenario.id() + ": " + result.describeFailures());
			results.add(result);
			// After every scenario, so a run cut short keeps what it measured
			report(results, RollingRestartReport.environment(settings, haproxyVersion, loadAverages), settings);
		}

		assertThat(results).filteredOn((result) -> result.scenario().variant().isStarter())
			.filteredOn((result) -> result.scenario().lagFitsWindow())
			.allSatisfy((result) -> {
				assertThat(result.failures()).as(result::describeFailures).isEmpty();
				assertThat(result.sigkills()).as("SIGKILLs in %s", result.scenario().title()).isZero();
			});
		assertThat(notRun).as("scenarios that could not run").isEmpty();
	}

	private static void report(List<ScenarioResult> results, String environment, HarnessSettings settings)
			throws IOException {
		RollingRestartReport.write(results, environment, settings.outputDirectory());
		String docs = System.getProperty("rolling-restart.docs");
		if (docs != null && !docs.isBlank()) {
			RollingRestartReport.publish(results, environment, Path.of(docs));
		}
	}

}
