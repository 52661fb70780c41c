package io.github.gracefulshutdown.e2e.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

import io.github.gracefulshutdown.e2e.scenario.Durations;
import io.github.gracefulshutdown.e2e.scenario.HarnessSettings;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.ScenarioRunner;
import io.github.gracefulshutdown.e2e.scenario.WindowStudyResult;

/**
 * Writes the results of the window study: a chart of exit time against lag per rate, a
 * timeline per scenario and a Markdown table, either into a directory of their own or
 * into the project's documentation.
 */
public final class WindowStudyReport {

	/**
	 * The name of the generated section in {@code docs/benchmarks.md}.
	 */
	public static final String SECTION = "window-study-results";

	private static final String DOCS_IMAGES = "images/window-study";

	private WindowStudyReport() {
	}

	/**
	 * Writes {@code results.md}, the charts {@code lag-RATErps.svg}, a timeline
	 * {@code ID.svg} per scenario and its records {@code data/ID-requests.csv} and
	 * {@code data/ID-events.csv} into a directory.
	 * @param results the results
	 * @param environment where they were measured, from
	 * {@link #environment(HarnessSettings, String, DoubleSummaryStatistics)}
	 * @param directory the directory
	 * @throws IOException if a file cannot be written
	 */
	public static void write(List<WindowStudyResult> results, String environment, Path directory) throws IOException {
		Path data = directory.resolve("data");
		Files.createDirectories(data);
		writeCharts(results, directory);
		for (WindowStudyResult result : results) {
			Files.writeString(data.resolve(result.id() + "-requests.csv"), ScenarioCsv.requests(result.result()),
					StandardCharsets.UTF_8);
			Files.writeString(data.resolve(result.id() + "-events.csv"), ScenarioCsv.events(result.result()),
					StandardCharsets.UTF_8);
		}
		Files.writeString(directory.resolve("results.md"),
				WindowStudySection.render(results, environment, (file) -> file), StandardCharsets.UTF_8);
	}

	/**
	 * Writes the charts into {@code images/window-study/} of the documentation and
	 * replaces the generated section of its {@code benchmarks.md} with the table of these
	 * results.
	 * @param results the results
	 * @param environment where they were measured
	 * @param docs the documentation directory
	 * @throws IOException if a file cannot be read or written
	 */
	public static void publish(List<WindowStudyResult> results, String environment, Path docs) throws IOException {
		Path images = docs.resolve(DOCS_IMAGES);
		Files.createDirectories(images);
		writeCharts(results, images);
		GeneratedSection.replace(docs.resolve("benchmarks.md"), SECTION,
				WindowStudySection.render(results, environment, (file) -> DOCS_IMAGES + "/" + file));
	}

	/**
	 * Describes where the study is measured: the machine, the shape of the load and of
	 * the restart, and the load average of the machine.
	 * @param settings the harness settings of the study
	 * @param haproxyVersion what {@code haproxy -v} reports
	 * @param loadAverages the system load average over the last minute, read after each
	 * scenario
	 * @return a sentence for the report
	 */
	public static String environment(HarnessSettings settings, String haproxyVersion,
			DoubleSummaryStatistics loadAverages) {
		return RollingRestartReport.machine(haproxyVersion) + String.format(Locale.ROOT,
				"; %s of load at the rate of each row before the first pod is deleted and after the last is back, "
						+ "termination grace period %s, control plane publishing the removal %s after T0.",
				Durations.format(settings.warmUp()), Durations.format(settings.terminationGracePeriod()),
				Durations.format(ScenarioRunner.CONTROL_PLANE_DELAY)) + RollingRestartReport.loadAverages(loadAverages);
	}

	/**
	 * Returns the file name of the chart of a rate.
	 * @param requestsPerSecond the rate
	 * @return such as {@code lag-50rps.svg}
	 */
	static String chartName(int requestsPerSecond) {
		return "lag-" + requestsPerSecond + "rps.svg";
	}

	private static void writeCharts(List<WindowStudyResult> results, Path directory) throws IOException {
		for (int rate : results.stream().map(WindowStudyResult::requestsPerSecond).distinct().toList()) {
			Files.writeString(directory.resolve(chartName(rate)), LagChart.render(rate, results),
					StandardCharsets.UTF_8);
		}
		for (WindowStudyResult result : results) {
			ScenarioResult scenario = result.result();
			Files.writeString(directory.resolve(result.id() + ".svg"), TimelineChart.render(scenario),
					StandardCharsets.UTF_8);
		}
	}

}
