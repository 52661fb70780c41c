package io.github.gracefulshutdown.e2e.scenario;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.e2e.cluster.PodStop;
import io.github.gracefulshutdown.e2e.cluster.TimelineEvent;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.load.RequestRecord;

/**
 * Everything recorded during one scenario.
 *
 * @param scenario the scenario
 * @param originNanos when the load started, in {@link System#nanoTime()}: time zero of
 * the scenario's timeline
 * @param endNanos when the load stopped, in {@link System#nanoTime()}
 * @param requests every request, in the order they were sent
 * @param stops how each pod stopped, in order
 * @param events what happened to the pods, in time order
 * @param streams the long-lived streams of the load that ended while it ran, in the order
 * they were opened; empty for a load without streams
 */
public record ScenarioResult(Scenario scenario, long originNanos, long endNanos, List<RequestRecord> requests,
		List<PodStop> stops, List<TimelineEvent> events, List<RequestRecord> streams) {

	private static final int DETAILS_SHOWN = 5;

	/**
	 * Creates a result; the lists are copied.
	 * @param scenario the scenario
	 * @param originNanos time zero of the scenario's timeline
	 * @param endNanos when the load stopped
	 * @param requests every request
	 * @param stops how each pod stopped
	 * @param events what happened to the pods
	 * @param streams the long-lived streams that ended
	 */
	public ScenarioResult {
		requests = List.copyOf(requests);
		stops = List.copyOf(stops);
		events = List.copyOf(events);
		streams = List.copyOf(streams);
	}

	/**
	 * Creates the result of a scenario whose load has no long-lived streams.
	 * @param scenario the scenario
	 * @param originNanos time zero of the scenario's timeline
	 * @param endNanos when the load stopped
	 * @param requests every request
	 * @param stops how each pod stopped
	 * @param events what happened to the pods
	 */
	public ScenarioResult(Scenario scenario, long originNanos, long endNanos, List<RequestRecord> requests,
			List<PodStop> stops, List<TimelineEvent> events) {
		this(scenario, originNanos, endNanos, requests, stops, events, List.of());
	}

	/**
	 * Returns the requests that failed: anything but a 2xx response.
	 * @return the failed requests
	 */
	public List<RequestRecord> failures() {
		return this.requests.stream().filter(RequestRecord::failed).toList();
	}

	/**
	 * Returns the long-lived streams that were cut off: ended with anything but OK.
	 * @return the streams cut off
	 */
	public List<RequestRecord> streamsCutOff() {
		return this.streams.stream().filter(RequestRecord::failed).toList();
	}

	/**
	 * Returns how many requests ended with the given outcome.
	 * @param outcome the outcome
	 * @return the number of requests
	 */
	public long count(Outcome outcome) {
		return this.requests.stream().filter((request) -> request.outcome() == outcome).count();
	}

	/**
	 * Returns how many responses had each non-2xx status.
	 * @return the number of responses by status, in status order
	 */
	public Map<Integer, Long> errorStatuses() {
		return this.requests.stream()
			.filter((request) -> request.outcome() == Outcome.HTTP_ERROR)
			.collect(Collectors.groupingBy(RequestRecord::status, TreeMap::new, Collectors.counting()));
	}

	/**
	 * Returns how many pods the kubelet had to SIGKILL.
	 * @return the number of SIGKILLs
	 */
	public long sigkills() {
		return this.stops.stream().filter(PodStop::sigkilled).count();
	}

	/**
	 * Returns the instances that answered requests, in the order they first did.
	 * @return the instance names
	 */
	public Set<String> servingInstances() {
		Set<String> instances = new LinkedHashSet<>();
		this.requests.stream()
			.filter((request) -> request.outcome() == Outcome.SUCCESS)
			.map(RequestRecord::instance)
			.filter(Objects::nonNull)
			.forEach(instances::add);
		return instances;
	}

	/**
	 * Describes the failures for a person: how many of each outcome, and the first few
	 * distinct failure messages.
	 * @return the description
	 */
	public String describeFailures() {
		List<RequestRecord> failures = failures();
		Map<String, Long> byKind = failures.stream()
			.collect(Collectors.groupingBy((request) -> (request.outcome() == Outcome.HTTP_ERROR)
					? "HTTP " + request.status() : request.outcome().name(), TreeMap::new, Collectors.counting()));
		List<String> details = new ArrayList<>(failures.stream()
			.map(RequestRecord::detail)
			.filter(Objects::nonNull)
			.distinct()
			.limit(DETAILS_SHOWN)
			.toList());
		return failures.size() + " of " + this.requests.size() + " requests failed in " + this.scenario.title() + ": "
				+ byKind + (details.isEmpty() ? "" : "; first failures: " + details);
	}

}
