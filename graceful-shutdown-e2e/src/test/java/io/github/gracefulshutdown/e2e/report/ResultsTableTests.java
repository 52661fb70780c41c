package io.github.gracefulshutdown.e2e.report;

import io.github.gracefulshutdown.e2e.scenario.Stack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResultsTable}.
 */
class ResultsTableTests {

	@Test
	void aRowHoldsTheStackTheRequestsTheFailuresByTypeAndTheStopTimesOfEachPod() {
		String row = ResultsTable.row(SampleResults.plainSpringBootBehindHaproxy(),
				"charts/haproxy-plain-50ms-lag2000ms.svg");

		assertThat(row).isEqualTo(
				"| MVC on Tomcat | HAProxy | 50 ms | 2 s | plain Spring Boot | 103 | 3 | 2 × 503 | 1 | 0 | 0 | 0 "
						+ "| 0.5 s | 0.5 s | 0 | [svg](charts/haproxy-plain-50ms-lag2000ms.svg) |");
	}

	@Test
	void everyRowHasAsManyCellsAsTheHeader() {
		String row = ResultsTable.row(SampleResults.plainSpringBootBehindHaproxy(), "chart.svg");

		assertThat((ResultsTable.header() + row).lines().map(ResultsTableTests::cells).distinct()).hasSize(1);
	}

	@Test
	void aRowIsOfTheStackItsFirstCellNames() {
		String row = ResultsTable.row(SampleResults.plainSpringBootBehindHaproxy(), "chart.svg");

		assertThat(ResultsTable.isRowOf(row, Stack.SPRING_MVC)).isTrue();
		assertThat(ResultsTable.isRowOf(row, Stack.WEBFLUX)).isFalse();
		assertThat(ResultsTable.header().lines()).noneMatch((line) -> ResultsTable.isRowOf(line, Stack.SPRING_MVC));
	}

	private static long cells(String line) {
		return line.chars().filter((c) -> c == '|').count();
	}

}
