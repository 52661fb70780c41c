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
import io.github.gracefulshutdown.e2e.report.WindowStudyReport;
import io.github.gracefulshutdown.e2e.scenario.HarnessSettings;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.ScenarioRunner;
import io.github.gracefulshutdown.e2e.scenario.WindowStudy;
import io.github.gracefulshutdown.e2e.scenario.WindowStudyResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every scenario of the {@link WindowStudy}: the pure-lag route, lags of 2 to 20 s, 50
 * and 1 request per second, the starter's default, fixed and endpoint-aware windows,
 * plain Spring Boot and a preStop sleep. Writes the table, the charts of exit time
 * against lag and the timelines, into the documentation when {@code window-study.docs}
 * names it, after every scenario. A benchmark run rather than a test of the build: only
 * the {@code window-study} Maven profile runs it; {@code window-study.scenarios}, a
 * regular expression, selects scenarios by id (the scenario's id with the rate, such as
 * {@code pure-lag-starter-default-50ms-lag2000ms-50rps}).
 */
class WindowStudyIT {

	@Test
	@Timeout(value = 150, unit = TimeUnit.MINUTES)
	void theStarterLosesNoRequestWhereItsWindowShouldCoverTheLagAndIsNeverKilled() throws Exception {
		HarnessSettings defaults = HarnessSettings.fromSystemProperties();
		Path output = defaults.outputDirectory().resolve("window-study");
		Pattern selected = Pattern.compile(System.getProperty("window-study.scenarios", ".*"));
		String haproxyVersion = Haproxy.version(defaults.haproxyBinary());
		List<WindowStudyResult> results = new ArrayList<>();
		Map<String, String> notRun = new LinkedHashMap<>();
		DoubleSummaryStatistics loadAverages = new DoubleSummaryStatistics();
		for (int rate : WindowStudy.RATES) {
			HarnessSettings settings = new HarnessSettings(defaults.sampleJars(), defaults.haproxyBinary(),
					output.resolve(rate + "rps"), rate, defaults.warmUp(), defaults.tail(),
					WindowStudy.TERMINATION_GRACE_PERIOD);
			ScenarioRunner runner = new ScenarioRunner(settings);
			for (Scenario scenario : WindowStudy.scenarios()) {
				String id = WindowStudyResult.id(scenario, rate);
				if (!selected.matcher(id).matches()) {
					continue;
				}
				ScenarioResult result;
				try {
					result = runner.run(scenario);
				}
				catch (IOException | RuntimeException ex) {
					// A pod that cannot start in time on a busy machine measures nothing;
					// the
					// other scenarios still can
					notRun.put(id, String.valueOf(ex));
					System.out.println(id + ": not run: " + ex);
					continue;
				}
				loadAverages.accept(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
				System.out.println(id + ": " + result.describeFailures());
				results.add(new WindowStudyResult(rate, result));
				// After every scenario, so a run cut short keeps what it measured
				report(results, WindowStudyReport.environment(settings, haproxyVersion, loadAverages), output);
			}
		}

		assertThat(results)
			.filteredOn((study) -> WindowStudy.expectsNoFailure(study.result().scenario(), study.requestsPerSecond()))
			.allSatisfy(
					(study) -> assertThat(study.result().failures()).as(study.result()::describeFailures).isEmpty());
		assertThat(results).filteredOn((study) -> study.result().scenario().variant().isStarter())
			.allSatisfy((study) -> assertThat(study.result().sigkills()).as("SIGKILLs in %s", study.id()).isZero());
		assertThat(notRun).as("scenarios that could not run").isEmpty();
	}

	private static void report(List<WindowStudyResult> results, String environment, Path output) throws IOException {
		WindowStudyReport.write(results, environment, output);
		String docs = System.getProperty("window-study.docs");
		if (docs != null && !docs.isBlank()) {
			WindowStudyReport.publish(results, environment, Path.of(docs));
		}
	}

}
