package io.github.gracefulshutdown.e2e.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Every scenario of the comparison: each HTTP stack, routing, variant, request length and
 * propagation lag.
 */
public final class ScenarioMatrix {

	/**
	 * The starter's propagation window in every scenario.
	 */
	public static final Duration WINDOW = Duration.ofSeconds(3);

	/**
	 * The variants compared. Another variant is one more line: its label, window, preStop
	 * sleep and application arguments.
	 */
	public static final List<Variant> VARIANTS = List.of(Variant.starter(WINDOW),
			Variant.starterAdaptive(Duration.ofSeconds(10)), Variant.plainSpringBoot(),
			Variant.plainSpringBootWithPreStopSleep(Duration.ofSeconds(10)));

	/**
	 * HAProxy, which health-checks the pods, and client-side balancing; the pure-lag
	 * route is the {@link WindowStudy}'s.
	 */
	public static final List<Routing> ROUTINGS = List.of(Routing.HAPROXY, Routing.CLIENT_SIDE);

	/**
	 * Short and long requests.
	 */
	public static final List<Duration> WORK = List.of(Duration.ofMillis(50), Duration.ofSeconds(2));

	/**
	 * A propagation lag within the starter's window, and one longer than it.
	 */
	public static final List<Duration> PROPAGATION_LAGS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(5));

	private ScenarioMatrix() {
	}

	/**
	 * Returns every scenario, grouped by stack, routing, request length and lag, with the
	 * variants side by side.
	 * @return the scenarios
	 */
	public static List<Scenario> all() {
		List<Scenario> scenarios = new ArrayList<>();
		for (Stack stack : Stack.httpStacks()) {
			for (Routing routing : ROUTINGS) {
				for (Duration work : WORK) {
					for (Duration lag : PROPAGATION_LAGS) {
						for (Variant variant : VARIANTS) {
							scenarios.add(new Scenario(stack, routing, variant, work, lag));
						}
					}
				}
			}
		}
		return scenarios;
	}

}
