package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.DeprecatedConfigurationProperty;
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
	 * Shortest time the application keeps serving after the drain started, while the
	 * removal of its endpoint propagates to load balancers: the floor of the propagation
	 * window, its whole length with window.mode=fixed. 0 turns the window off. Defaults
	 * to 10s when Spring Boot detects Kubernetes and to 0 elsewhere.
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
	 * to another instance. HTTP/2 connections (Tomcat, Jetty, and Reactor Netty with
	 * HTTP/2 enabled) also get a graceful GOAWAY at the end of the propagation window.
	 */
	private boolean closeConnections = true;

	/**
	 * File the drain report is written to when the drain completes, if it exists and is
	 * writable: Kubernetes' termination message. Empty never to write it.
	 */
	private String terminationMessagePath = "/dev/termination-log";

	/**
	 * Propagation window.
	 */
	private final Window window = new Window();

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

	public Window getWindow() {
		return this.window;
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
	 * Returns how long a server, the web server or the gRPC server, may take to stop once
	 * its requests have ended: a quarter of the safety margin, zero if that is negative.
	 * The next quarter is left to the destruction of the beans and the exit, before the
	 * watchdog's hard stop at half of it.
	 * @return the stop timeout
	 */
	public Duration serverStopTimeout() {
		return this.safetyMargin.isNegative() ? Duration.ZERO : this.safetyMargin.dividedBy(4);
	}

	/**
	 * Propagation window: how long the application keeps serving after 'delay' has
	 * passed.
	 */
	public static class Window {

		/**
		 * How the propagation window ends: 'extend' keeps serving past 'delay' while
		 * requests arrive and ends once none has arrived for the quiet period, never past
		 * the maximum; 'fixed' ends when 'delay' has passed.
		 */
		private Mode mode = Mode.EXTEND;

		/**
		 * How long without a new request ends the window once 'delay' has passed.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private Duration quietPeriod = Duration.ofSeconds(2);

		/**
		 * Longest the window may last when it extends, counted from the start of the
		 * drain. Defaults to what the termination grace period leaves after the steps
		 * that follow the window and a reserve for requests in flight
		 * (spring.lifecycle.timeout-per-shutdown-phase, or 5s when it is not set), and
		 * never less than 'delay'.
		 */
		@DurationUnit(ChronoUnit.SECONDS)
		private @Nullable Duration max;

		public Mode getMode() {
			return this.mode;
		}

		public void setMode(Mode mode) {
			this.mode = mode;
		}

		public Duration getQuietPeriod() {
			return this.quietPeriod;
		}

		public void setQuietPeriod(Duration quietPeriod) {
			this.quietPeriod = quietPeriod;
		}

		public @Nullable Duration getMax() {
			return this.max;
		}

		public void setMax(@Nullable Duration max) {
			this.max = max;
		}

		/**
		 * How the propagation window ends.
		 */
		public enum Mode {

			/**
			 * Keep serving past the delay while requests arrive, until none has arrived
			 * for the quiet period, never past the maximum.
			 */
			EXTEND,

			/**
			 * End when the delay has passed, whatever the traffic.
			 */
			FIXED

		}

	}

	/**
	 * Adaptive propagation window, replaced by the window properties: 'delay' is the
	 * floor of the window, which extends while requests arrive by default.
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

		@DeprecatedConfigurationProperty(replacement = "graceful-shutdown.window.mode",
				reason = "The window extends while requests arrive by default", since = "0.1.0")
		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		@DeprecatedConfigurationProperty(replacement = "graceful-shutdown.delay",
				reason = "'delay' is the floor of the window", since = "0.1.0")
		public Duration getMinDelay() {
			return this.minDelay;
		}

		public void setMinDelay(Duration minDelay) {
			this.minDelay = minDelay;
		}

		@DeprecatedConfigurationProperty(replacement = "graceful-shutdown.window.quiet-period", since = "0.1.0")
		public Duration getQuietPeriod() {
			return this.quietPeriod;
		}

		public void setQuietPeriod(Duration quietPeriod) {
			this.quietPeriod = quietPeriod;
		}

	}

}
