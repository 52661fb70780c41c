package io.github.gracefulshutdown.grpc;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration properties for draining a gRPC server.
 */
@ConfigurationProperties("graceful-shutdown.grpc")
public class GrpcDrainProperties {

	/**
	 * Whether to drain the gRPC server: health, GOAWAY, in-flight drain and the cut-off
	 * of calls at the deadline.
	 */
	private boolean enabled = true;

	/**
	 * Name of the gRPC health service that follows the application's readiness: SERVING
	 * while it accepts traffic, NOT_SERVING from the start of the drain on, like the
	 * overall service "". For a Kubernetes grpc readiness probe.
	 */
	private String readinessServiceName = "readiness";

	/**
	 * Name of the gRPC health service that follows the application's liveness: SERVING
	 * while it is live, through the drain too. For a Kubernetes grpc liveness probe.
	 */
	private String livenessServiceName = "liveness";

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getReadinessServiceName() {
		return this.readinessServiceName;
	}

	public void setReadinessServiceName(String readinessServiceName) {
		this.readinessServiceName = readinessServiceName;
	}

	public String getLivenessServiceName() {
		return this.livenessServiceName;
	}

	public void setLivenessServiceName(String livenessServiceName) {
		this.livenessServiceName = livenessServiceName;
	}

}
