package io.github.gracefulshutdown.e2e.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ScenarioCsv}.
 */
class ScenarioCsvTests {

	@Test
	void aRequestLineHasItsTimesSinceTheLoadStartedAndItsQuotedTexts() {
		String csv = ScenarioCsv.requests(SampleResults.plainSpringBootBehindHaproxy());

		assertThat(csv.lines().findFirst()).hasValue("start_ms,end_ms,outcome,status,instance,detail");
		assertThat(csv.lines()).hasSize(104)
			.contains("0.0,50.0,SUCCESS,200,\"pod1-v1\",", "2300.0,2301.0,REFUSED,0,,\"java.net.ConnectException\"");
	}

	@Test
	void anEventLineHasItsTimePodAndKind() {
		String csv = ScenarioCsv.events(SampleResults.plainSpringBootBehindHaproxy());

		assertThat(csv.lines()).startsWith("at_ms,pod,event").contains("4000.0,pod1,ENDPOINT_REMOVED");
	}

}
