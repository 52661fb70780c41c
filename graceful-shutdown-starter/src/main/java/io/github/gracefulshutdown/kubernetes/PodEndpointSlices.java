package io.github.gracefulshutdown.kubernetes;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import io.github.gracefulshutdown.drain.EndpointWatchException;
import org.jspecify.annotations.Nullable;

/**
 * The EndpointSlices that list one pod, as {@code discovery.k8s.io/v1} objects parsed
 * from JSON, and whether each may still route to it: while it shows the pod ready, and,
 * once it does not, while it shows the pod serving, since kube-proxy falls back to the
 * serving endpoints of terminating pods when a Service has no ready endpoint left (on a
 * node, for {@code externalTrafficPolicy: Local}). A terminating pod turns not serving
 * when the kubelet sees its readiness probe fail. A pod matches an endpoint whose
 * {@code targetRef} is the pod of that name, or whose addresses hold the pod's IP. A
 * slice that drops the pod, or is deleted, no longer routes to it. Not thread-safe: one
 * watch feeds it, one event at a time.
 */
final class PodEndpointSlices {

	private final @Nullable String podName;

	private final @Nullable String podIp;

	private final Map<String, Boolean> routedBySlice = new HashMap<>();

	/**
	 * Creates the slices of a pod, none seen yet.
	 * @param podName the pod's name, or {@code null} to match by IP only
	 * @param podIp the pod's IP, or {@code null} to match by name only
	 */
	PodEndpointSlices(@Nullable String podName, @Nullable String podIp) {
		this.podName = podName;
		this.podIp = podIp;
	}

	/**
	 * Takes in a slice that was listed, added or modified.
	 * @param slice the EndpointSlice
	 * @throws EndpointWatchException if the slice is not an EndpointSlice
	 */
	void update(Map<String, Object> slice) {
		String name = name(slice);
		Boolean routed = routesToPod(slice);
		if (routed != null) {
			this.routedBySlice.put(name, routed);
		}
		else if (this.routedBySlice.containsKey(name)) {
			this.routedBySlice.put(name, false);
		}
	}

	/**
	 * Takes in a list of every slice of the namespace, the first or a later one: a slice
	 * that listed the pod and is no longer in the list was deleted meanwhile.
	 * @param items the slices of the list
	 * @throws EndpointWatchException if an item is not an EndpointSlice
	 */
	void replaceWith(List<?> items) {
		Set<String> listed = new HashSet<>();
		for (Object item : items) {
			Map<String, Object> slice = map(item, "item");
			listed.add(name(slice));
			update(slice);
		}
		this.routedBySlice.replaceAll((name, routed) -> routed && listed.contains(name));
	}

	/**
	 * Takes in a slice that was deleted.
	 * @param slice the EndpointSlice
	 * @throws EndpointWatchException if the slice is not an EndpointSlice
	 */
	void delete(Map<String, Object> slice) {
		this.routedBySlice.computeIfPresent(name(slice), (name, routed) -> false);
	}

	/**
	 * Returns whether any slice seen so far listed the pod.
	 * @return {@code false} if no slice listed it
	 */
	boolean listsPod() {
		return !this.routedBySlice.isEmpty();
	}

	/**
	 * Returns whether every slice that listed the pod shows it neither ready nor serving,
	 * or dropped it.
	 * @return {@code true} once no slice routes to the pod any more
	 */
	boolean podRemoved() {
		return listsPod() && !this.routedBySlice.containsValue(true);
	}

	/**
	 * Returns the pod as the messages name it.
	 * @return the pod's name and IP, those that are known
	 */
	String describePod() {
		if (this.podName != null && this.podIp != null) {
			return "pod " + this.podName + " (" + this.podIp + ")";
		}
		return "pod " + Objects.requireNonNullElse(this.podName, this.podIp);
	}

	private @Nullable Boolean routesToPod(Map<String, Object> slice) {
		Object endpoints = slice.get("endpoints");
		if (endpoints == null) {
			return null;
		}
		Boolean routed = null;
		for (Object endpoint : list(endpoints, "endpoints")) {
			Map<String, Object> fields = map(endpoint, "endpoint");
			if (isPod(fields)) {
				boolean routable = mayGetTraffic(fields);
				routed = (routed != null) ? routed || routable : routable;
			}
		}
		return routed;
	}

	private boolean isPod(Map<String, Object> endpoint) {
		Object targetRef = endpoint.get("targetRef");
		if (this.podName != null && targetRef != null) {
			Map<String, Object> reference = map(targetRef, "targetRef");
			if ("Pod".equals(reference.get("kind")) && this.podName.equals(reference.get("name"))) {
				return true;
			}
		}
		Object addresses = endpoint.get("addresses");
		return this.podIp != null && addresses != null && list(addresses, "addresses").contains(this.podIp);
	}

	/**
	 * Reads whether an endpoint is ready or, failing that, serving. The API leaves a
	 * condition out when it is unknown, and asks consumers to take an unknown
	 * {@code ready} as ready and an unknown {@code serving} as what {@code ready} says:
	 * so does this.
	 */
	private static boolean mayGetTraffic(Map<String, Object> endpoint) {
		Object conditions = endpoint.get("conditions");
		if (conditions == null) {
			return true;
		}
		Map<String, Object> fields = map(conditions, "conditions");
		Object serving = fields.get("serving");
		return !Boolean.FALSE.equals(fields.get("ready")) || (serving != null && !Boolean.FALSE.equals(serving));
	}

	private static String name(Map<String, Object> slice) {
		Object metadata = slice.get("metadata");
		Object name = (metadata != null) ? map(metadata, "metadata").get("name") : null;
		if (!(name instanceof String text)) {
			throw new EndpointWatchException("The API server sent an EndpointSlice without a name.");
		}
		return text;
	}

	@SuppressWarnings("unchecked")
	static Map<String, Object> map(Object value, String field) {
		if (!(value instanceof Map<?, ?>)) {
			throw new EndpointWatchException(
					"The API server sent a malformed EndpointSlice: " + field + " is not an object.");
		}
		return (Map<String, Object>) value;
	}

	static List<?> list(Object value, String field) {
		if (!(value instanceof List<?> list)) {
			throw new EndpointWatchException(
					"The API server sent a malformed EndpointSlice: " + field + " is not an array.");
		}
		return list;
	}

}
