package io.github.gracefulshutdown.e2e.report;

import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResultsTable}.
 */
class ResultsTableTests {

	@Test
	void aRowHoldsTheRequestsTheFailuresByTypeAndTheStopTimesOfEachPod() {
		String table = ResultsTable.render(List.of(SampleResults.plainSpringBootBehindHaproxy()),
				(result) -> "charts/" + result.scenario().id() + ".svg");

		assertThat(table.lines()).hasSize(3);
		assertThat(table.lines().skip(2).findFirst()).hasValue(
				"| HAProxy | 50 ms | 2 s | plain Spring Boot | 103 | 3 | 2 × 503 | 1 | 0 | 0 | 0 | 0.5 s | 0.5 s | 0 "
						+ "| [svg](charts/haproxy-plain-50ms-lag2000ms.svg) |");
	}

	@Test
	void everyRowHasAsManyCellsAsTheHeader() {
		String table = ResultsTable.render(List.of(SampleResults.plainSpringBootBehindHaproxy()),
				(result) -> "chart.svg");

		assertThat(table.lines().map((line) -> line.chars().filter((c) -> c == '|').count()).distinct()).hasSize(1);
	}

}
