package io.github.gracefulshutdown.e2e.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;

import io.github.gracefulshutdown.e2e.scenario.Durations;
import io.github.gracefulshutdown.e2e.scenario.HarnessSettings;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;

/**
 * Writes the results of rolling restart scenarios: a Markdown table and a chart per
 * scenario, either into a directory of their own or into the project's documentation.
 */
public final class RollingRestartReport {

	/**
	 * The name of the generated section in {@code docs/benchmarks.md}.
	 */
	public static final String SECTION = "rolling-restart-results";

	private static final String DOCS_IMAGES = "images/rolling-restart";

	private RollingRestartReport() {
	}

	/**
	 * Writes {@code results.md} and, for each scenario, its chart {@code ID.svg} and its
	 * records {@code data/ID-requests.csv} and {@code data/ID-events.csv} into a
	 * directory.
	 * @param results the results
	 * @param environment where the results were measured, from
	 * {@link #environment(HarnessSettings, String, DoubleSummaryStatistics)}
	 * @param directory the directory
	 * @throws IOException if a file cannot be written
	 */
	public static void write(List<ScenarioResult> results, String environment, Path directory) throws IOException {
		Path data = directory.resolve("data");
		Files.createDirectories(data);
		writeCharts(results, directory);
		for (ScenarioResult result : results) {
			String id = result.scenario().id();
			Files.writeString(data.resolve(id + "-requests.csv"), ScenarioCsv.requests(result), StandardCharsets.UTF_8);
			Files.writeString(data.resolve(id + "-events.csv"), ScenarioCsv.events(result), StandardCharsets.UTF_8);
		}
		Files.writeString(directory.resolve("results.md"),
				ResultsSection.render(results, environment, (result) -> result.scenario().id() + ".svg", ""),
				StandardCharsets.UTF_8);
	}

	/**
	 * Writes the charts into {@code images/rolling-restart/} of the documentation and the
	 * table into the generated section of its {@code benchmarks.md}, where the rows of
	 * the stacks the run did not measure stay as they were.
	 * @param results the results
	 * @param environment where the results were measured
	 * @param docs the documentation directory
	 * @throws IOException if a file cannot be read or written
	 */
	public static void publish(List<ScenarioResult> results, String environment, Path docs) throws IOException {
		Path images = docs.resolve(DOCS_IMAGES);
		Files.createDirectories(images);
		writeCharts(results, images);
		Path benchmarks = docs.resolve("benchmarks.md");
		String previous = GeneratedSection.content(benchmarks, SECTION);
		GeneratedSection.replace(benchmarks, SECTION, ResultsSection.render(results, environment,
				(result) -> DOCS_IMAGES + "/" + result.scenario().id() + ".svg", previous));
	}

	/**
	 * Describes where the results are measured: the machine, the JDK, HAProxy, the shape
	 * of the load, and the load average of the machine, which other work may share.
	 * @param settings the harness settings
	 * @param haproxyVersion what {@code haproxy -v} reports
	 * @param loadAverages the system load average over the last minute, read after each
	 * scenario
	 * @return a sentence for the report
	 */
	public static String environment(HarnessSettings settings, String haproxyVersion,
			DoubleSummaryStatistics loadAverages) {
		String environment = machine(haproxyVersion) + String.format(Locale.ROOT,
				"; %s per second in total, %s of load before the first pod is deleted and after the last is back, "
						+ "termination grace period %s.",
				settings.requestsPerSecond() + (settings.requestsPerSecond() == 1 ? " request" : " requests"),
				Durations.format(settings.warmUp()), Durations.format(settings.terminationGracePeriod()));
		return environment + loadAverages(loadAverages);
	}

	/**
	 * Describes the machine a run measures on: the date, the cores, the JDK, the
	 * operating system and HAProxy.
	 * @param haproxyVersion what {@code haproxy -v} reports
	 * @return the start of a sentence, without a full stop
	 */
	static String machine(String haproxyVersion) {
		return machine() + ", " + haproxyVersion;
	}

	/**
	 * Describes the machine a run measures on: the date, the cores, the JDK and the
	 * operating system.
	 * @return the start of a sentence, without a full stop
	 */
	static String machine() {
		return String.format(Locale.ROOT, "Measured on %s on %d CPU cores, %s %s on %s %s",
				LocalDate.now(ZoneOffset.UTC), Runtime.getRuntime().availableProcessors(),
				System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
				System.getProperty("os.name"), System.getProperty("os.version"));
	}

	/**
	 * Describes the load average of the machine, which other work may share.
	 * @param loadAverages the system load average over the last minute, read after each
	 * scenario
	 * @return a sentence with a leading space, or nothing if no average could be read
	 */
	static String loadAverages(DoubleSummaryStatistics loadAverages) {
		if (loadAverages.getCount() == 0 || loadAverages.getMin() < 0) {
			return "";
		}
		return String.format(Locale.ROOT, " Load average over the last minute, read after each scenario: %.1f to %.1f.",
				loadAverages.getMin(), loadAverages.getMax());
	}

	private static void writeCharts(List<ScenarioResult> results, Path directory) throws IOException {
		for (ScenarioResult result : results) {
			Files.writeString(directory.resolve(result.scenario().id() + ".svg"), TimelineChart.render(result),
					StandardCharsets.UTF_8);
		}
	}

}
