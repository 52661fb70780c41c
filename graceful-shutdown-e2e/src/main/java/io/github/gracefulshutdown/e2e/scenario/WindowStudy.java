package io.github.gracefulshutdown.e2e.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The scenarios of the window study: how each way of covering the propagation lag fares
 * on the pure-lag route, where nothing but the lag decides when a pod stops receiving
 * requests, at lags from 2 to 20 s, with steady and with sparse traffic. Every pod runs
 * on Kubernetes as Spring Boot detects it, so the starter's Kubernetes defaults apply.
 */
public final class WindowStudy {

	/**
	 * The pods' termination grace period: 45 s, not Kubernetes' default of 30 s. The
	 * extending window's ceiling is what the grace period leaves after the safety margin,
	 * the sample's WebSocket drain and the in-flight reserve: 17 s of 30 s, shorter than
	 * the 20 s lag, but 32 s of 45 s, which covers the 20 s lag and the quiet period
	 * after it. A pod behind a router that slow needs a longer grace period anyway.
	 */
	public static final Duration TERMINATION_GRACE_PERIOD = Duration.ofSeconds(45);

	/**
	 * The rates of the load, all pods together: steady traffic, and one request a second,
	 * which gives each pod a request every 2 s, as long as the quiet period.
	 */
	public static final List<Integer> RATES = List.of(50, 1);

	/**
	 * The propagation lags: within the 10 s window, and beyond it.
	 */
	public static final List<Duration> PROPAGATION_LAGS = List.of(Duration.ofSeconds(2), Duration.ofSeconds(5),
			Duration.ofSeconds(12), Duration.ofSeconds(20));

	/**
	 * How long each request works.
	 */
	public static final Duration WORK = Duration.ofMillis(50);

	/**
	 * The variants compared: the starter's default on Kubernetes, its strictly fixed 10 s
	 * window, its endpoint-aware window, plain Spring Boot, and plain Spring Boot with a
	 * 10 s preStop sleep.
	 */
	public static final List<Variant> VARIANTS = Stream
		.of(Variant.starterDefaults(), Variant.starter(Duration.ofSeconds(10)), Variant.starterEndpointAware(),
				Variant.plainSpringBoot(), Variant.plainSpringBootWithPreStopSleep(Duration.ofSeconds(10)))
		.map(Variant::onKubernetes)
		.toList();

	/**
	 * The variants whose window extends while requests arrive.
	 */
	private static final Set<String> EXTENDING = Set.of(Variant.starterDefaults().id(),
			Variant.starterEndpointAware().id());

	/**
	 * How long without a request ends an extending window, the starter's default.
	 */
	private static final Duration QUIET_PERIOD = Duration.ofSeconds(2);

	private static final int PODS = 2;

	private WindowStudy() {
	}

	/**
	 * Returns the scenarios of one rate, by lag with the variants side by side.
	 * @return the scenarios
	 */
	public static List<Scenario> scenarios() {
		List<Scenario> scenarios = new ArrayList<>();
		for (Duration lag : PROPAGATION_LAGS) {
			for (Variant variant : VARIANTS) {
				scenarios.add(new Scenario(Stack.SPRING_MVC, Routing.PURE_LAG, variant, WORK, lag));
			}
		}
		return scenarios;
	}

	/**
	 * Returns whether the starter should lose no request in a scenario: when the lag fits
	 * the window it keeps whatever the traffic (the floor of an extending window), and,
	 * for a window that extends while requests arrive, at any lag of the study when each
	 * pod sees requests far more often than the quiet period, since the grace period
	 * leaves it room. Sparse traffic can end an extending window in a lull before a long
	 * lag is over: that is what the study measures, not what it expects.
	 * @param scenario the scenario
	 * @param requestsPerSecond the rate of the load, all pods together
	 * @return {@code true} if a failed request means the starter fell short
	 */
	public static boolean expectsNoFailure(Scenario scenario, int requestsPerSecond) {
		if (!scenario.variant().isStarter()) {
			return false;
		}
		if (scenario.lagFitsWindow()) {
			return true;
		}
		Duration gapPerPod = Duration.ofMillis(1000L * PODS / requestsPerSecond);
		return EXTENDING.contains(scenario.variant().id()) && gapPerPod.multipliedBy(4).compareTo(QUIET_PERIOD) <= 0;
	}

}
