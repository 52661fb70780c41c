package io.github.gracefulshutdown.e2e.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.e2e.cluster.PodStop;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.github.gracefulshutdown.e2e.scenario.Durations;
import io.github.gracefulshutdown.e2e.scenario.HarnessSettings;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.grpc.Status;

/**
 * Writes the results of rolling restarts of gRPC pods: a Markdown table of the calls, how
 * the failed ones ended and how the long-lived streams ended (by gRPC status code), and a
 * timeline per scenario, into a directory of their own or into the project's
 * documentation.
 */
public final class GrpcRestartReport {

	/**
	 * The name of the generated section in {@code docs/benchmarks.md}.
	 */
	public static final String SECTION = "grpc-rolling-restart-results";

	private static final String DOCS_IMAGES = "images/grpc-rolling-restart";

	private static final String HEADER = """
			| Variant | Lag | Calls | Failed | How | Stream ends | SIGTERM→exit | T0→exit | SIGKILL | Timeline |
			| --- | ---: | ---: | ---: | --- | --- | --- | --- | ---: | --- |
			""";

	private GrpcRestartReport() {
	}

	/**
	 * Writes {@code results.md} and, for each scenario, its timeline {@code ID.svg} and
	 * its records {@code data/ID-requests.csv}, {@code data/ID-events.csv} and
	 * {@code data/ID-streams.csv} into a directory.
	 * @param results the results
	 * @param environment where the results were measured, from
	 * {@link #environment(HarnessSettings, DoubleSummaryStatistics)}
	 * @param directory the directory
	 * @throws IOException if a file cannot be written
	 */
	public static void write(List<ScenarioResult> results, String environment, Path directory) throws IOException {
		Path data = directory.resolve("data");
		Files.createDirectories(data);
		for (ScenarioResult result : results) {
			String id = result.scenario().id();
			Files.writeString(directory.resolve(id + ".svg"), TimelineChart.render(result), StandardCharsets.UTF_8);
			Files.writeString(data.resolve(id + "-requests.csv"), ScenarioCsv.requests(result), StandardCharsets.UTF_8);
			Files.writeString(data.resolve(id + "-events.csv"), ScenarioCsv.events(result), StandardCharsets.UTF_8);
			Files.writeString(data.resolve(id + "-streams.csv"), ScenarioCsv.streams(result), StandardCharsets.UTF_8);
		}
		Files.writeString(directory.resolve("results.md"),
				render(results, environment, (result) -> result.scenario().id() + ".svg"), StandardCharsets.UTF_8);
	}

	/**
	 * Writes the timelines into {@code images/grpc-rolling-restart/} of the documentation
	 * and replaces the generated section of its {@code benchmarks.md} with the table.
	 * @param results the results
	 * @param environment where the results were measured
	 * @param docs the documentation directory
	 * @throws IOException if a file cannot be read or written
	 */
	public static void publish(List<ScenarioResult> results, String environment, Path docs) throws IOException {
		Path images = docs.resolve(DOCS_IMAGES);
		Files.createDirectories(images);
		for (ScenarioResult result : results) {
			Files.writeString(images.resolve(result.scenario().id() + ".svg"), TimelineChart.render(result),
					StandardCharsets.UTF_8);
		}
		GeneratedSection.replace(docs.resolve("benchmarks.md"), SECTION,
				render(results, environment, (result) -> DOCS_IMAGES + "/" + result.scenario().id() + ".svg"));
	}

	/**
	 * Describes where the results are measured: the machine, the JDK, the shape of the
	 * load, and the load average of the machine, which other work may share.
	 * @param settings the harness settings
	 * @param loadAverages the system load average over the last minute, read after each
	 * scenario
	 * @return a sentence for the report
	 */
	public static String environment(HarnessSettings settings, DoubleSummaryStatistics loadAverages) {
		return RollingRestartReport.machine() + String.format(Locale.ROOT,
				"; %d unary calls per second in total, %s of load before the first pod is deleted and after the last "
						+ "is back, termination grace period %s.",
				settings.requestsPerSecond(), Durations.format(settings.warmUp()),
				Durations.format(settings.terminationGracePeriod())) + RollingRestartReport.loadAverages(loadAverages);
	}

	/**
	 * Renders the section: the line that says where the results were measured, then the
	 * table with a row per scenario.
	 * @param results the results, in order
	 * @param environment where they were measured
	 * @param timelineLink the link to each scenario's timeline
	 * @return the Markdown section
	 */
	static String render(List<ScenarioResult> results, String environment,
			Function<ScenarioResult, String> timelineLink) {
		StringBuilder section = new StringBuilder(environment).append("\n\n").append(HEADER);
		for (ScenarioResult result : results) {
			section.append("| ")
				.append(String.join(" | ", result.scenario().variant().label(),
						Durations.format(result.scenario().propagationLag()), String.valueOf(result.requests().size()),
						String.valueOf(result.failures().size()), byCode(result.failures()), byCode(result.streams()),
						perPod(result, PodStop::sigtermToExit), perPod(result, PodStop::stopToExit),
						String.valueOf(result.sigkills()), "[svg](" + timelineLink.apply(result) + ")"))
				.append(" |\n");
		}
		return section.toString();
	}

	/**
	 * Describes how calls or streams ended: how many with each gRPC status code, such as
	 * {@code 3 × UNAVAILABLE}.
	 */
	private static String byCode(List<RequestRecord> calls) {
		Map<String, Long> byCode = calls.stream()
			.collect(Collectors.groupingBy(GrpcRestartReport::code, TreeMap::new, Collectors.counting()));
		return byCode.entrySet()
			.stream()
			.map((entry) -> entry.getValue() + " × " + entry.getKey())
			.collect(Collectors.joining(", "));
	}

	private static String code(RequestRecord call) {
		if (call.outcome() == Outcome.NOT_SENT) {
			return "not sent";
		}
		return Status.fromCodeValue(call.status()).getCode().name();
	}

	private static String perPod(ScenarioResult result, Function<PodStop, Duration> time) {
		return result.stops()
			.stream()
			.map((stop) -> String.format(Locale.ROOT, "%.1f s", time.apply(stop).toMillis() / 1000.0))
			.collect(Collectors.joining(" / "));
	}

}
