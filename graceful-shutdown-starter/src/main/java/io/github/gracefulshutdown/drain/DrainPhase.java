package io.github.gracefulshutdown.drain;

/**
 * The phases of a drain, in the order they run.
 */
public enum DrainPhase {

	/**
	 * Readiness is down and the application keeps serving while endpoint removal
	 * propagates to load balancers, proxies and DNS.
	 */
	PROPAGATION_WINDOW,

	/**
	 * Long-lived connections (WebSocket sessions, server-sent event streams) are closed.
	 */
	CONNECTION_DRAIN,

	/**
	 * The web server no longer accepts connections and waits for the requests in flight.
	 */
	IN_FLIGHT_DRAIN,

	/**
	 * Registered long-running tasks are awaited.
	 */
	TASK_DRAIN

}
