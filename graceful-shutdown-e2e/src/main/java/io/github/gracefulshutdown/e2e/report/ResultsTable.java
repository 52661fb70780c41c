package io.github.gracefulshutdown.e2e.report;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.e2e.cluster.PodStop;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.scenario.Durations;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;

/**
 * The results of scenarios as a Markdown table: one row per scenario with its requests,
 * its failures by type, the time from SIGTERM (and from T0) to exit of each pod, and the
 * SIGKILLs.
 */
public final class ResultsTable {

	private static final String HEADER = """
			| Route | Request | Lag | Variant | Requests | Failed | Non-2xx | Refused | Reset | Timeout | Other | SIGTERM→exit | T0→exit | SIGKILL | Chart |
			| --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |
			""";

	private ResultsTable() {
	}

	/**
	 * Renders the table.
	 * @param results the results, one row each, in order
	 * @param chartLink the link to each scenario's chart
	 * @return the Markdown table
	 */
	public static String render(List<ScenarioResult> results, Function<ScenarioResult, String> chartLink) {
		StringBuilder table = new StringBuilder(HEADER);
		for (ScenarioResult result : results) {
			Scenario scenario = result.scenario();
			table.append("| ")
				.append(String.join(" | ", scenario.routing().label(), Durations.format(scenario.work()),
						Durations.format(scenario.propagationLag()), scenario.variant().label(),
						String.valueOf(result.requests().size()), String.valueOf(result.failures().size()),
						errorStatuses(result.errorStatuses()), String.valueOf(result.count(Outcome.REFUSED)),
						String.valueOf(result.count(Outcome.RESET)), String.valueOf(result.count(Outcome.TIMEOUT)),
						String.valueOf(result.count(Outcome.OTHER_IO) + result.count(Outcome.NOT_SENT)),
						perPod(result, PodStop::sigtermToExit), perPod(result, PodStop::stopToExit),
						String.valueOf(result.sigkills()), "[svg](" + chartLink.apply(result) + ")"))
				.append(" |\n");
		}
		return table.toString();
	}

	private static String errorStatuses(Map<Integer, Long> statuses) {
		if (statuses.isEmpty()) {
			return "0";
		}
		return statuses.entrySet()
			.stream()
			.map((entry) -> entry.getValue() + " × " + entry.getKey())
			.collect(Collectors.joining(", "));
	}

	private static String perPod(ScenarioResult result, Function<PodStop, Duration> time) {
		return result.stops()
			.stream()
			.map((stop) -> String.format(Locale.ROOT, "%.1f s", time.apply(stop).toMillis() / 1000.0))
			.collect(Collectors.joining(" / "));
	}

}
