package io.github.gracefulshutdown.e2e.report;

import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.e2e.cluster.PodStop;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.scenario.Durations;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.Stack;

/**
 * The results of scenarios as the rows of a Markdown table: one row per scenario with its
 * stack, its requests, its failures by type, the time from SIGTERM (and from T0) to exit
 * of each pod, and the SIGKILLs.
 */
public final class ResultsTable {

	private static final String HEADER = """
			| Stack | Route | Request | Lag | Variant | Requests | Failed | Non-2xx | Refused | Reset | Timeout | Other | SIGTERM→exit | T0→exit | SIGKILL | Chart |
			| --- | --- | --- | --- | --- | ---: | ---: | --- | ---: | ---: | ---: | ---: | --- | --- | ---: | --- |
			""";

	private ResultsTable() {
	}

	/**
	 * Returns the header of the table: the line of column names and the line of
	 * alignments, each ending with a line break.
	 * @return the header
	 */
	public static String header() {
		return HEADER;
	}

	/**
	 * Renders the row of one scenario.
	 * @param result the scenario's result
	 * @param chartLink the link to the scenario's chart
	 * @return the row, without a line break
	 */
	public static String row(ScenarioResult result, String chartLink) {
		Scenario scenario = result.scenario();
		return "| " + String.join(" | ", scenario.stack().label(), scenario.routing().label(),
				Durations.format(scenario.work()), Durations.format(scenario.propagationLag()),
				scenario.variant().label(), String.valueOf(result.requests().size()),
				String.valueOf(result.failures().size()), errorStatuses(result.errorStatuses()),
				String.valueOf(result.count(Outcome.REFUSED)), String.valueOf(result.count(Outcome.RESET)),
				String.valueOf(result.count(Outcome.TIMEOUT)),
				String.valueOf(result.count(Outcome.OTHER_IO) + result.count(Outcome.NOT_SENT)),
				perPod(result, PodStop::sigtermToExit), perPod(result, PodStop::stopToExit),
				String.valueOf(result.sigkills()), "[svg](" + chartLink + ")") + " |";
	}

	/**
	 * Returns whether a line is a row of a scenario of the given stack.
	 * @param line a line of a table rendered by this class
	 * @param stack the stack
	 * @return {@code true} if its first cell names the stack
	 */
	public static boolean isRowOf(String line, Stack stack) {
		return line.startsWith("| " + stack.label() + " | ");
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
