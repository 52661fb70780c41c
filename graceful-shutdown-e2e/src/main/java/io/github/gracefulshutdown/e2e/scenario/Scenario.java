package io.github.gracefulshutdown.e2e.scenario;

import java.time.Duration;
import java.util.Locale;

/**
 * One rolling restart under load: which web stack the pods run, how requests reach them,
 * how the application runs, how long each request works and how long the endpoint removal
 * takes to propagate.
 *
 * @param stack the web stack the pods run
 * @param routing how requests reach the pods
 * @param variant how the application runs
 * @param work how long each request works on the server
 * @param propagationLag the time from T0 until the load balancer or the clients stop
 * sending new requests to the pod
 */
public record Scenario(Stack stack, Routing routing, Variant variant, Duration work, Duration propagationLag) {

	/**
	 * Returns a name for files, such as {@code haproxy-starter-50ms-lag2000ms}, or
	 * {@code webflux-haproxy-starter-50ms-lag2000ms} on WebFlux.
	 * @return the identifier
	 */
	public String id() {
		return this.stack.idPrefix() + this.routing.name().toLowerCase(Locale.ROOT).replace('_', '-') + "-"
				+ this.variant.id() + "-" + this.work.toMillis() + "ms-lag" + this.propagationLag.toMillis() + "ms";
	}

	/**
	 * Returns a title for tables and charts.
	 * @return the title
	 */
	public String title() {
		return this.stack.label() + ", " + this.routing.label() + ", " + this.variant.label() + ", "
				+ Durations.format(this.work) + " requests, propagation lag " + Durations.format(this.propagationLag);
	}

	/**
	 * Returns whether the pod keeps serving for at least the propagation lag, which is
	 * when no request should fail.
	 * @return {@code true} if the lag fits in the variant's window
	 */
	public boolean lagFitsWindow() {
		return this.propagationLag.compareTo(this.variant.window()) <= 0;
	}

}
