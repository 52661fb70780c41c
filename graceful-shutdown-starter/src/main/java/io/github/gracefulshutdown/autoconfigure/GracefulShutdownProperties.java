package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties for draining the application before it stops. Durations
 * written without a unit are seconds, as in {@code terminationGracePeriodSeconds}.
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
	@DurationUnit(ChronoUnit.SECONDS)
	private @Nullable Duration delay;

	/**
	 * Whether every close of the application context drains. By default only a stop of
	 * the process (SIGTERM, SIGINT, System.exit) drains, and a close after a drain was
	 * started by the preStop hook, the endpoint or application code; other closes (test
	 * contexts, devtools restarts) close at once. Turn it on for applications stopped
	 * through SpringApplication.exit or the shutdown endpoint.
	 */
	private boolean drainOnAnyClose;

	/**
	 * How long the listeners of one milestone of the drain (DrainListener beans and
	 * listeners of the drain events) may take between them. A listener still running then
	 * is logged and left behind; the drain goes on.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration listenerTimeout = Duration.ofSeconds(1);

	/**
	 * Whether to answer HTTP/1.x requests with 'Connection: close' during the drain, so
	 * that clients holding kept-alive connections reconnect, through their load balancer,
	 * to another instance. On Reactor Netty with HTTP/2 enabled, HTTP/2 connections also
	 * get a graceful GOAWAY at the end of the propagation window.
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
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration terminationGracePeriod = Duration.ofSeconds(30);

	/**
	 * Time kept free at the end of the termination grace period for the rest of the
	 * shutdown and the exit of the JVM.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
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

	public boolean isDrainOnAnyClose() {
		return this.drainOnAnyClose;
	}

	public void setDrainOnAnyClose(boolean drainOnAnyClose) {
		this.drainOnAnyClose = drainOnAnyClose;
	}

	public Duration getListenerTimeout() {
		return this.listenerTimeout;
	}

	public void setListenerTimeout(Duration listenerTimeout) {
		this.listenerTimeout = listenerTimeout;
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
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration minDelay = Duration.ofSeconds(2);

		/**
		 * How long without a new request ends the adaptive window.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
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
