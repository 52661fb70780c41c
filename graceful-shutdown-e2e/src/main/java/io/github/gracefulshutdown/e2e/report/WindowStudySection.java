package io.github.gracefulshutdown.e2e.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.e2e.cluster.PodStop;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.scenario.Durations;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.WindowStudyResult;

/**
 * The results of the window study as Markdown: where they were measured, the chart of
 * each rate, and a table with a row per scenario: its requests, how many failed and how,
 * the time from SIGTERM and from T0 to the exit of each pod beside the physical limit,
 * and the SIGKILLs.
 */
public final class WindowStudySection {

	private static final String HEADER = """
			| Rate | Lag | Variant | Requests | Failed | How | SIGTERM→exit | T0→exit | Physical limit | SIGKILL | Timeline |
			| ---: | ---: | --- | ---: | ---: | --- | --- | --- | ---: | ---: | --- |
			""";

	private WindowStudySection() {
	}

	/**
	 * Renders the section.
	 * @param results the results, in order
	 * @param environment where they were measured
	 * @param link the link to a file of the report, by file name
	 * @return the Markdown section
	 */
	public static String render(List<WindowStudyResult> results, String environment, Function<String, String> link) {
		StringBuilder section = new StringBuilder(environment).append("\n\n");
		results.stream().map(WindowStudyResult::requestsPerSecond).distinct().forEach((rate) -> {
			String chart = WindowStudyReport.chartName(rate);
			section.append("![T0 to exit against the lag at ")
				.append(rate)
				.append(" per second](")
				.append(link.apply(chart))
				.append(")\n\n");
		});
		section.append(HEADER);
		results.forEach((result) -> section.append(row(result, link.apply(result.id() + ".svg"))).append('\n'));
		return section.toString();
	}

	static String row(WindowStudyResult study, String timelineLink) {
		ScenarioResult result = study.result();
		Scenario scenario = result.scenario();
		return "| " + String.join(" | ", study.requestsPerSecond() + "/s", Durations.format(scenario.propagationLag()),
				scenario.variant().label(), String.valueOf(result.requests().size()),
				String.valueOf(result.failures().size()), how(result), perPod(result, PodStop::sigtermToExit),
				perPod(result, PodStop::stopToExit), seconds(study.physicalLimit()), String.valueOf(result.sigkills()),
				"[svg](" + timelineLink + ")") + " |";
	}

	private static String how(ScenarioResult result) {
		List<String> kinds = new ArrayList<>();
		result.errorStatuses().forEach((status, count) -> kinds.add(count + " × " + status));
		count(kinds, result, Outcome.REFUSED, "refused");
		count(kinds, result, Outcome.RESET, "reset");
		count(kinds, result, Outcome.TIMEOUT, "timeout");
		count(kinds, result, Outcome.OTHER_IO, "other");
		count(kinds, result, Outcome.NOT_SENT, "not sent");
		return kinds.isEmpty() ? "" : String.join(", ", kinds);
	}

	private static void count(List<String> kinds, ScenarioResult result, Outcome outcome, String label) {
		long count = result.count(outcome);
		if (count > 0) {
			kinds.add(count + " " + label);
		}
	}

	private static String perPod(ScenarioResult result, Function<PodStop, Duration> time) {
		return result.stops().stream().map((stop) -> seconds(time.apply(stop))).collect(Collectors.joining(" / "));
	}

	private static String seconds(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

}
