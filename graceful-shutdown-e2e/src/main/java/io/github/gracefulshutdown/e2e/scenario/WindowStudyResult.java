package io.github.gracefulshutdown.e2e.scenario;

import java.time.Duration;

/**
 * What one scenario of the {@link WindowStudy} recorded, at the rate it ran at.
 *
 * @param requestsPerSecond the rate of the load, all pods together
 * @param result what the scenario recorded
 */
public record WindowStudyResult(int requestsPerSecond, ScenarioResult result) {

	/**
	 * Returns a name for files, the scenario's id with the rate, such as
	 * {@code pure-lag-starter-default-50ms-lag2000ms-50rps}.
	 * @return the identifier
	 */
	public String id() {
		return id(this.result.scenario(), this.requestsPerSecond);
	}

	/**
	 * Returns the name of a scenario at a rate, as {@link #id()} gives it.
	 * @param scenario the scenario
	 * @param requestsPerSecond the rate of the load
	 * @return the identifier
	 */
	public static String id(Scenario scenario, int requestsPerSecond) {
		return scenario.id() + "-" + requestsPerSecond + "rps";
	}

	/**
	 * Returns the physical limit of a pod's exit: it cannot go before the last router has
	 * stopped sending (the propagation lag) and the last request sent has been answered.
	 * @return the propagation lag plus the longest request
	 */
	public Duration physicalLimit() {
		return this.result.scenario().propagationLag().plus(this.result.scenario().work());
	}

	/**
	 * Returns the mean time from T0 (the pod's deletion) to its process's exit, over the
	 * pods.
	 * @return the mean T0 to exit
	 */
	public Duration meanStopToExit() {
		return Duration.ofNanos((long) this.result.stops()
			.stream()
			.mapToLong((stop) -> stop.stopToExit().toNanos())
			.average()
			.orElse(0));
	}

}
