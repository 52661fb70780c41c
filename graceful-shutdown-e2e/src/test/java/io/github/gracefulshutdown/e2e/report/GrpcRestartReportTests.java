package io.github.gracefulshutdown.e2e.report;

import java.time.Duration;
import java.util.List;

import io.github.gracefulshutdown.e2e.cluster.PodStop;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.github.gracefulshutdown.e2e.scenario.Routing;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.Stack;
import io.github.gracefulshutdown.e2e.scenario.Variant;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GrpcRestartReport}.
 */
class GrpcRestartReportTests {

	private static final long ORIGIN = 5_000_000_000L;

	@Test
	void aRowHoldsTheVariantTheCallsTheFailedCallsByStatusCodeAndTheStopTimesOfEachPod() {
		ScenarioResult result = result(Variant.plainSpringGrpc(),
				List.of(call(0, Outcome.SUCCESS, Status.Code.OK),
						call(100, Outcome.GRPC_ERROR, Status.Code.UNAVAILABLE),
						call(200, Outcome.GRPC_ERROR, Status.Code.UNAVAILABLE),
						call(300, Outcome.TIMEOUT, Status.Code.DEADLINE_EXCEEDED)));

		String section = GrpcRestartReport.render(List.of(result), "Measured today.", (scenario) -> "plain.svg");

		assertThat(section).startsWith("Measured today.\n\n| Variant | Lag | Calls | Failed |")
			.contains("| plain Spring gRPC | 2 s | 4 | 3 | 1 × DEADLINE_EXCEEDED, 2 × UNAVAILABLE |  | 0.1 s / 0.2 s "
					+ "| 0.1 s / 0.2 s | 0 | [svg](plain.svg) |\n");
	}

	@Test
	void aScenarioWithoutFailuresHasNothingToSayHowTheyFailed() {
		ScenarioResult result = result(Variant.starterDefaults().onKubernetes(),
				List.of(call(0, Outcome.SUCCESS, Status.Code.OK)));

		String section = GrpcRestartReport.render(List.of(result), "Measured today.", (scenario) -> "starter.svg");

		assertThat(section).contains("| starter defaults (floor 10 s, extends) | 2 s | 1 | 0 |  |  | ");
	}

	@Test
	void theStreamsThatEndedAreCountedByStatusCode() {
		ScenarioResult calls = result(Variant.plainSpringGrpc(), List.of(call(0, Outcome.SUCCESS, Status.Code.OK)));
		ScenarioResult result = new ScenarioResult(calls.scenario(), calls.originNanos(), calls.endNanos(),
				calls.requests(), calls.stops(), calls.events(), List.of(call(0, Outcome.SUCCESS, Status.Code.OK),
						call(3000, Outcome.GRPC_ERROR, Status.Code.UNAVAILABLE)));

		String section = GrpcRestartReport.render(List.of(result), "Measured today.", (scenario) -> "plain.svg");

		assertThat(section).contains("| plain Spring gRPC | 2 s | 1 | 0 |  | 1 × OK, 1 × UNAVAILABLE | ");
		assertThat(result.streamsCutOff()).hasSize(1);
	}

	private static ScenarioResult result(Variant variant, List<RequestRecord> calls) {
		Scenario scenario = new Scenario(Stack.GRPC, Routing.CLIENT_SIDE, variant, Duration.ofMillis(50),
				Duration.ofSeconds(2));
		List<PodStop> stops = List.of(new PodStop("pod1", "pod1-v1", at(1000), at(1000), at(1100), false, 143),
				new PodStop("pod2", "pod2-v1", at(5000), at(5000), at(5200), false, 143));
		return new ScenarioResult(scenario, ORIGIN, at(10_000), calls, stops, List.of());
	}

	private static RequestRecord call(long millis, Outcome outcome, Status.Code code) {
		return new RequestRecord(at(millis), at(millis + 50), outcome, code.value(),
				(outcome == Outcome.SUCCESS) ? "pod1-v1" : null, (outcome == Outcome.SUCCESS) ? null : code.name());
	}

	private static long at(long millis) {
		return ORIGIN + Duration.ofMillis(millis).toNanos();
	}

}
