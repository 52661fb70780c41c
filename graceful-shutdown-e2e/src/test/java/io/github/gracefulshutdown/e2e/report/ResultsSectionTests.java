package io.github.gracefulshutdown.e2e.report;

import java.util.List;

import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.Stack;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ResultsSection}.
 */
class ResultsSectionTests {

	private static final ScenarioResult MVC = SampleResults.plainSpringBootBehindHaproxy(Stack.SPRING_MVC);

	private static final ScenarioResult WEBFLUX = SampleResults.plainSpringBootBehindHaproxy(Stack.WEBFLUX);

	@Test
	void eachMeasuredStackHasALineSayingWhereItWasMeasuredThenTheTableHasTheirRows() {
		String section = ResultsSection.render(List.of(MVC, WEBFLUX), "Measured today.", ResultsSectionTests::chart,
				"");

		assertThat(section).isEqualTo("**MVC on Tomcat**: Measured today.\n\n**WebFlux on Netty**: Measured today.\n\n"
				+ ResultsTable.header() + ResultsTable.row(MVC, chart(MVC)) + "\n"
				+ ResultsTable.row(WEBFLUX, chart(WEBFLUX)) + "\n");
	}

	@Test
	void whenOneStackIsMeasuredThenTheLineAndRowsOfTheOtherStackStay() {
		String earlier = ResultsSection.render(List.of(MVC, WEBFLUX), "Measured yesterday.", ResultsSectionTests::chart,
				"");

		String section = ResultsSection.render(List.of(WEBFLUX), "Measured today.", (result) -> "new.svg", earlier);

		assertThat(section)
			.isEqualTo("**MVC on Tomcat**: Measured yesterday.\n\n**WebFlux on Netty**: Measured today.\n\n"
					+ ResultsTable.header() + ResultsTable.row(MVC, chart(MVC)) + "\n"
					+ ResultsTable.row(WEBFLUX, "new.svg") + "\n");
	}

	@Test
	void whenAStackIsMeasuredAgainThenNoneOfItsEarlierRowsStay() {
		String earlier = ResultsSection.render(List.of(MVC, MVC), "Measured yesterday.", ResultsSectionTests::chart,
				"");

		String section = ResultsSection.render(List.of(MVC), "Measured today.", (result) -> "new.svg", earlier);

		assertThat(section).doesNotContain("yesterday")
			.endsWith(ResultsTable.header() + ResultsTable.row(MVC, "new.svg") + "\n");
	}

	private static String chart(ScenarioResult result) {
		return result.scenario().id() + ".svg";
	}

}
