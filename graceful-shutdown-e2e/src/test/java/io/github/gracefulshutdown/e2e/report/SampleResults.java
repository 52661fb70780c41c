package io.github.gracefulshutdown.e2e.report;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.gracefulshutdown.e2e.cluster.PodStop;
import io.github.gracefulshutdown.e2e.cluster.TimelineEvent;
import io.github.gracefulshutdown.e2e.cluster.TimelineEvent.Kind;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.github.gracefulshutdown.e2e.scenario.Routing;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.Stack;
import io.github.gracefulshutdown.e2e.scenario.Variant;
import io.github.gracefulshutdown.e2e.scenario.WindowStudyResult;

/**
 * A small, made-up result of a scenario: one pod restarted in ten seconds, with two 503
 * responses and one refused connection.
 */
final class SampleResults {

	static final long ORIGIN = 5_000_000_000L;

	private SampleResults() {
	}

	static ScenarioResult plainSpringBootBehindHaproxy() {
		return plainSpringBootBehindHaproxy(Stack.SPRING_MVC);
	}

	static ScenarioResult plainSpringBootBehindHaproxy(Stack stack) {
		List<RequestRecord> requests = new ArrayList<>();
		for (int tenth = 0; tenth < 100; tenth++) {
			String instance = (tenth < 50) ? "pod1-v1" : "pod1-v2";
			requests
				.add(new RequestRecord(at(tenth * 100), at(tenth * 100 + 50), Outcome.SUCCESS, 200, instance, null));
		}
		requests.add(new RequestRecord(at(2100), at(2110), Outcome.HTTP_ERROR, 503, null, "HTTP 503"));
		requests.add(new RequestRecord(at(2200), at(2210), Outcome.HTTP_ERROR, 503, null, "HTTP 503"));
		requests.add(new RequestRecord(at(2300), at(2301), Outcome.REFUSED, 0, null, "java.net.ConnectException"));
		List<TimelineEvent> events = List.of(new TimelineEvent(at(2000), "pod1", Kind.STOP_STARTED),
				new TimelineEvent(at(2000), "pod1", Kind.SIGTERM_SENT),
				new TimelineEvent(at(2010), "pod1", Kind.IN_FLIGHT_DRAIN_STARTED),
				new TimelineEvent(at(2500), "pod1", Kind.EXITED),
				new TimelineEvent(at(4000), "pod1", Kind.ENDPOINT_REMOVED),
				new TimelineEvent(at(8000), "pod1", Kind.BACK_IN_SERVICE));
		PodStop stop = new PodStop("pod1", "pod1-v1", at(2000), at(2000), at(2500), false, 143);
		Scenario scenario = new Scenario(stack, Routing.HAPROXY, Variant.plainSpringBoot(), Duration.ofMillis(50),
				Duration.ofSeconds(2));
		return new ScenarioResult(scenario, ORIGIN, at(10_000), requests, List.of(stop), events);
	}

	/**
	 * A made-up scenario of the window study on the pure-lag route: 100 requests, the
	 * given number of them refused, and two pods that each exit the given time after T0,
	 * the first without a preStop hook.
	 */
	static WindowStudyResult windowStudy(Variant variant, int lagSeconds, int rate, long exitMillis, int failed) {
		List<RequestRecord> requests = new ArrayList<>();
		for (int i = 0; i < 100; i++) {
			requests
				.add((i < failed) ? new RequestRecord(at(2000 + i), at(2001 + i), Outcome.REFUSED, 0, null, "refused")
						: new RequestRecord(at(i * 100), at(i * 100 + 50), Outcome.SUCCESS, 200, "pod1-v1", null));
		}
		List<PodStop> stops = List.of(
				new PodStop("pod1", "pod1-v1", at(1000), at(1000), at(1000 + exitMillis), false, 143),
				new PodStop("pod2", "pod2-v1", at(20_000), at(20_000), at(20_000 + exitMillis), false, 143));
		Scenario scenario = new Scenario(Stack.SPRING_MVC, Routing.PURE_LAG, variant, Duration.ofMillis(50),
				Duration.ofSeconds(lagSeconds));
		return new WindowStudyResult(rate,
				new ScenarioResult(scenario, ORIGIN, at(40_000), requests, stops, List.of()));
	}

	private static long at(long millis) {
		return ORIGIN + Duration.ofMillis(millis).toNanos();
	}

}
