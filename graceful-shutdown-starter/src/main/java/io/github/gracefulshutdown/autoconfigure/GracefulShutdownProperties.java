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
	 * of its endpoint propagates to load balancers. Defaults to 10s when Spring Boot
	 * detects Kubernetes and to 0 elsewhere.
	 */
	private @Nullable Duration delay;

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

}
