package io.github.gracefulshutdown.e2e.report;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.Stack;

/**
 * The results of a run as Markdown: for each stack, a line that says where its rows were
 * measured, then the table. The stacks can be measured in separate runs: a run replaces
 * the line and the rows of the stacks it measured and keeps those of the others from the
 * section it updates, so every stack's rows come from one run, and its line says which.
 */
public final class ResultsSection {

	private ResultsSection() {
	}

	/**
	 * Renders the section.
	 * @param results the results of the run, in order
	 * @param environment where the run measured them
	 * @param chartLink the link to each scenario's chart
	 * @param previous the section this one replaces, empty if none; the lines and rows of
	 * the stacks the run did not measure are kept from it
	 * @return the Markdown section
	 */
	public static String render(List<ScenarioResult> results, String environment,
			Function<ScenarioResult, String> chartLink, String previous) {
		Set<Stack> measured = results.stream()
			.map((result) -> result.scenario().stack())
			.collect(Collectors.toCollection(() -> EnumSet.noneOf(Stack.class)));
		List<String> previousLines = previous.lines().toList();
		List<String> environments = new ArrayList<>();
		List<String> rows = new ArrayList<>();
		for (Stack stack : Stack.values()) {
			if (measured.contains(stack)) {
				environments.add(environmentPrefix(stack) + environment);
				results.stream()
					.filter((result) -> result.scenario().stack() == stack)
					.map((result) -> ResultsTable.row(result, chartLink.apply(result)))
					.forEach(rows::add);
			}
			else {
				previousLines.stream()
					.filter((line) -> line.startsWith(environmentPrefix(stack)))
					.findFirst()
					.ifPresent(environments::add);
				previousLines.stream().filter((line) -> ResultsTable.isRowOf(line, stack)).forEach(rows::add);
			}
		}
		StringBuilder section = new StringBuilder();
		environments.forEach((line) -> section.append(line).append("\n\n"));
		section.append(ResultsTable.header());
		rows.forEach((row) -> section.append(row).append('\n'));
		return section.toString();
	}

	private static String environmentPrefix(Stack stack) {
		return "**" + stack.label() + "**: ";
	}

}
