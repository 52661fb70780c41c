package io.github.gracefulshutdown.e2e.cluster;

/**
 * Something that happened to a pod during a rolling restart.
 *
 * @param atNanos when it happened, in {@link System#nanoTime()}
 * @param pod the pod
 * @param kind what happened
 */
public record TimelineEvent(long atNanos, String pod, Kind kind) {

	/**
	 * What happened.
	 */
	public enum Kind {

		/**
		 * T0: the pod was deleted; endpoint removal and container stop begin.
		 */
		STOP_STARTED,

		/**
		 * The endpoints controller took the pod out, after the propagation lag.
		 */
		ENDPOINT_REMOVED,

		/**
		 * The API server's EndpointSlices showed the pod not ready, after the control
		 * plane's delay.
		 */
		ENDPOINT_NOT_READY_PUBLISHED,

		/**
		 * The kubelet sent SIGTERM, after the preStop hook if any.
		 */
		SIGTERM_SENT,

		/**
		 * The application logged the start of its drain (the starter's propagation window
		 * begins).
		 */
		DRAIN_STARTED,

		/**
		 * The application logged the start of the web server's graceful shutdown: it
		 * stops accepting connections and waits for requests in flight.
		 */
		IN_FLIGHT_DRAIN_STARTED,

		/**
		 * The kubelet sent SIGKILL at the end of the grace period.
		 */
		SIGKILL_SENT,

		/**
		 * The process exited.
		 */
		EXITED,

		/**
		 * The replacement instance answered its readiness probe with 200.
		 */
		REPLACEMENT_READY,

		/**
		 * The replacement is back in service at the load balancer or in the clients.
		 */
		BACK_IN_SERVICE

	}

}
