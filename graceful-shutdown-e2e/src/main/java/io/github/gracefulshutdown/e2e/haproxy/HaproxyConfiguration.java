package io.github.gracefulshutdown.e2e.haproxy;

import java.nio.file.Path;
import java.util.Map;

/**
 * The configuration of the HAProxy in front of the pods: one frontend on 127.0.0.1, one
 * backend with a server per pod, health-checked on the readiness probe unless told
 * otherwise, keep-alive on both sides, an admin socket for the runtime API, and a log
 * line per request on its standard error.
 * <p>
 * The health check runs every 500 ms; two failed checks in a row take a server out
 * ({@code fall 2}) and two good ones put it back ({@code rise 2}). So a pod whose
 * readiness probe answers 503, or that refuses connections, stops receiving traffic
 * within about a second, which is as quick as load balancers that probe pods get, while
 * one slow answer on a busy machine does not take a healthy pod out. Everything else is
 * HAProxy's default behaviour: a failed connection is retried on the same server, and a
 * response is never retried.
 * <p>
 * Without health checks HAProxy behaves like kube-proxy: it sends to every server in the
 * backend until the endpoints controller takes it out, whatever the pod's readiness probe
 * says, so the propagation lag alone decides when the pod stops receiving requests.
 *
 * @param frontendPort the port clients connect to
 * @param adminSocket the path of the admin socket
 * @param servers the port of each pod's server, by pod name, in order
 * @param healthChecks whether HAProxy checks each pod's readiness probe
 */
public record HaproxyConfiguration(int frontendPort, Path adminSocket, Map<String, Integer> servers,
		boolean healthChecks) {

	/**
	 * The name of the backend that holds the pods.
	 */
	public static final String BACKEND = "pods";

	/**
	 * The path HAProxy health-checks on each server.
	 */
	public static final String HEALTH_CHECK_PATH = "/actuator/health/readiness";

	/**
	 * Renders the configuration file.
	 * @return the content of {@code haproxy.cfg}
	 */
	public String render() {
		StringBuilder config = new StringBuilder();
		config.append("global\n");
		config.append("\tmaxconn 4096\n");
		config.append("\tlog stderr format raw local0 info\n");
		config.append("\tstats socket ").append(this.adminSocket).append(" level admin\n");
		config.append('\n');
		config.append("defaults\n");
		config.append("\tmode http\n");
		config.append("\tlog global\n");
		config.append("\toption httplog\n");
		config.append("\toption http-keep-alive\n");
		config.append("\ttimeout connect 2s\n");
		config.append("\ttimeout client 30s\n");
		config.append("\ttimeout server 30s\n");
		config.append("\ttimeout http-keep-alive 10s\n");
		if (this.healthChecks) {
			config.append("\ttimeout check 2s\n");
		}
		config.append('\n');
		config.append("frontend ingress\n");
		config.append("\tbind 127.0.0.1:").append(this.frontendPort).append('\n');
		config.append("\tdefault_backend ").append(BACKEND).append('\n');
		config.append('\n');
		config.append("backend ").append(BACKEND).append('\n');
		config.append("\tbalance roundrobin\n");
		config.append("\thttp-reuse safe\n");
		if (this.healthChecks) {
			config.append("\toption httpchk GET ").append(HEALTH_CHECK_PATH).append('\n');
			config.append("\thttp-check expect status 200\n");
			config.append("\tdefault-server inter 500ms fall 2 rise 2\n");
		}
		String check = this.healthChecks ? " check" : "";
		this.servers.forEach((name, port) -> config.append("\tserver ")
			.append(name)
			.append(" 127.0.0.1:")
			.append(port)
			.append(check)
			.append('\n'));
		return config.toString();
	}

}
