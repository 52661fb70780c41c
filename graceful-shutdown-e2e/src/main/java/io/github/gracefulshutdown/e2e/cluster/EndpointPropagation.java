package io.github.gracefulshutdown.e2e.cluster;

import java.time.Duration;

/**
 * Where the endpoints controller's changes go, and how long a pod's removal takes to get
 * there: to the routers after the propagation lag, or to the API server's EndpointSlices
 * after the control plane's own delay.
 *
 * @param endpoints where the changes go
 * @param removalDelay how long after T0 the pod's removal arrives there
 * @param removalEvent what the timeline records when it arrives
 */
public record EndpointPropagation(Endpoints endpoints, Duration removalDelay, TimelineEvent.Kind removalEvent) {

	/**
	 * The routers, which stop sending new requests to a pod after the propagation lag.
	 * @param routers the load balancer's backend, or the clients' list of pods
	 * @param propagationLag how long after T0 the removal reaches them
	 * @return the propagation
	 */
	public static EndpointPropagation toRouters(Endpoints routers, Duration propagationLag) {
		return new EndpointPropagation(routers, propagationLag, TimelineEvent.Kind.ENDPOINT_REMOVED);
	}

	/**
	 * The API server, whose EndpointSlices show a pod not ready once the control plane
	 * has seen its deletion.
	 * @param apiServer the API server's EndpointSlices
	 * @param controlPlaneDelay how long after T0 the control plane publishes the removal
	 * @return the propagation
	 */
	public static EndpointPropagation toApiServer(Endpoints apiServer, Duration controlPlaneDelay) {
		return new EndpointPropagation(apiServer, controlPlaneDelay, TimelineEvent.Kind.ENDPOINT_NOT_READY_PUBLISHED);
	}

}
