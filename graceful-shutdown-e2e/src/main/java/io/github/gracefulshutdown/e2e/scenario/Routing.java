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
	 * Straight from the client to the pods, on pooled keep-alive connections: the client
	 * balances between the pods it knows of and drops a pod only when the endpoint
	 * removal reaches it, after the propagation lag.
	 */
	CLIENT_SIDE("client-side");

	private final String label;

	Routing(String label) {
		this.label = label;
	}

	/**
	 * Returns a short label for tables and charts.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

}
