package io.github.gracefulshutdown.e2e.scenario;

/**
 * How requests reach the pods.
 */
public enum Routing {

	/**
	 * Through HAProxy, which health-checks each pod's readiness probe and takes a pod out
	 * of its backend when the endpoints controller says so.
	 */
	HAPROXY("HAProxy"),

	/**
	 * Through HAProxy without health checks, like kube-proxy: HAProxy sends to a pod,
	 * whatever its readiness probe answers, until the endpoints controller takes it out
	 * after the propagation lag.
	 */
	PURE_LAG("HAProxy, no health check"),

	/**
	 * Straight from the client to the pods, on pooled keep-alive connections (for gRPC,
	 * one HTTP/2 connection per pod, round robin): the client balances between the pods
	 * it knows of and drops a pod only when the endpoint removal reaches it, after the
	 * propagation lag.
	 */
	CLIENT_SIDE("client-side");

	private final String label;

	Routing(String label) {
		this.label = label;
	}

	/**
	 * Returns whether requests go through HAProxy.
	 * @return {@code true} for the routes through HAProxy
	 */
	public boolean throughHaproxy() {
		return this != CLIENT_SIDE;
	}

	/**
	 * Returns a short label for tables and charts.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

}
