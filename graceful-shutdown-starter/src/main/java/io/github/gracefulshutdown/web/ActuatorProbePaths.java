package io.github.gracefulshutdown.web;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.core.env.Environment;

/**
 * The probe paths on the main port, from the actuator's own view of its web endpoints:
 * their base path, the paths of the exposed ones, and their additional paths on the main
 * server (the health groups' {@code server:} paths, such as {@code /livez}), whichever
 * property or bean declared them.
 */
final class ActuatorProbePaths implements Supplier<ProbePaths> {

	private final Environment environment;

	private final ObjectProvider<PathMappedEndpoints> endpoints;

	ActuatorProbePaths(Environment environment, ObjectProvider<PathMappedEndpoints> endpoints) {
		this.environment = environment;
		this.endpoints = endpoints;
	}

	@Override
	public ProbePaths get() {
		PathMappedEndpoints endpoints = this.endpoints.getIfAvailable();
		if (endpoints == null) {
			return ProbePaths.none();
		}
		boolean separatePort = ManagementPortType.get(this.environment) != ManagementPortType.SAME;
		List<String> additionalPaths = endpoints.stream()
			.flatMap((endpoint) -> endpoint.getAdditionalPaths(WebServerNamespace.SERVER).stream())
			.toList();
		return ProbePaths.onMainPort(separatePort, endpoints.getBasePath(), endpoints.getAllPaths(), additionalPaths);
	}

}
