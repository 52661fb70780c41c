package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for draining the application before it stops.
 */
@ConfigurationProperties("graceful-shutdown")
public class GracefulShutdownProperties {

	/**
	 * Whether to drain the application before it stops.
	 */
	private boolean enabled = true;

	/**
	 * How long the application keeps serving after the drain started, while the removal
	 * of its endpoint propagates to load balancers; with the adaptive window, the longest
	 * it may last. Defaults to 10s when Spring Boot detects Kubernetes and to 0
	 * elsewhere.
	 */
	private @Nullable Duration delay;

	/**
	 * Whether to answer HTTP/1.x requests with 'Connection: close' during the drain, so
	 * that clients holding kept-alive connections reconnect, through their load balancer,
	 * to another instance.
	 */
	private boolean closeConnections = true;

	/**
	 * File the drain report is written to when the drain completes, if it exists and is
	 * writable: Kubernetes' termination message. Empty never to write it.
	 */
	private String terminationMessagePath = "/dev/termination-log";

	/**
	 * Adaptive propagation window.
	 */
	private final Adaptive adaptive = new Adaptive();

	/**
	 * Time the platform gives the application to stop before killing it: the pod's
	 * terminationGracePeriodSeconds. The whole drain must fit in it.
	 */
	private Duration terminationGracePeriod = Duration.ofSeconds(30);

	/**
	 * Time kept free at the end of the termination grace period for the rest of the
	 * shutdown and the exit of the JVM.
	 */
	private Duration safetyMargin = Duration.ofSeconds(2);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable Duration getDelay() {
		return this.delay;
	}

	public void setDelay(@Nullable Duration delay) {
		this.delay = delay;
	}

	public boolean isCloseConnections() {
		return this.closeConnections;
	}

	public void setCloseConnections(boolean closeConnections) {
		this.closeConnections = closeConnections;
	}

	public String getTerminationMessagePath() {
		return this.terminationMessagePath;
	}

	public void setTerminationMessagePath(String terminationMessagePath) {
		this.terminationMessagePath = terminationMessagePath;
	}

	public Adaptive getAdaptive() {
		return this.adaptive;
	}

	public Duration getTerminationGracePeriod() {
		return this.terminationGracePeriod;
	}

	public void setTerminationGracePeriod(Duration terminationGracePeriod) {
		this.terminationGracePeriod = terminationGracePeriod;
	}

	public Duration getSafetyMargin() {
		return this.safetyMargin;
	}

	public void setSafetyMargin(Duration safetyMargin) {
		this.safetyMargin = safetyMargin;
	}

	/**
	 * Adaptive propagation window: ends once requests have stopped arriving.
	 */
	public static class Adaptive {

		/**
		 * Whether to end the propagation window as soon as no request has arrived for the
		 * quiet period, after at least the minimum delay and at most 'delay'.
		 */
		private boolean enabled;

		/**
		 * Shortest the adaptive window lasts, whatever the traffic.
		 */
		private Duration minDelay = Duration.ofSeconds(2);

		/**
		 * How long without a new request ends the adaptive window.
		 */
		private Duration quietPeriod = Duration.ofSeconds(2);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(Duration minDelay) {
			this.minDelay = minDelay;
		}

		public Duration getQuietPeriod() {
			return this.quietPeriod;
		}

		public void setQuietPeriod(Duration quietPeriod) {
			this.quietPeriod = quietPeriod;
		}

	}

}
