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
 * property or bean declared them. On the servlet stack they are all below Spring MVC's
 * servlet path ({@code spring.mvc.servlet.path}), as the dispatcher servlet maps them.
 */
final class ActuatorProbePaths implements Supplier<ProbePaths> {

	private static final String SERVLET_PATH_PROPERTY = "spring.mvc.servlet.path";

	private final Environment environment;

	private final ObjectProvider<PathMappedEndpoints> endpoints;

	private final boolean servletStack;

	ActuatorProbePaths(Environment environment, ObjectProvider<PathMappedEndpoints> endpoints, boolean servletStack) {
		this.environment = environment;
		this.endpoints = endpoints;
		this.servletStack = servletStack;
	}

	@Override
	public ProbePaths get() {
		PathMappedEndpoints endpoints = this.endpoints.getIfAvailable();
		if (endpoints == null) {
			return ProbePaths.none();
		}
		boolean separatePort = ManagementPortType.get(this.environment) != ManagementPortType.SAME;
		String prefix = this.servletStack ? servletPathPrefix(this.environment.getProperty(SERVLET_PATH_PROPERTY, "/"))
				: "";
		List<String> additionalPaths = endpoints.stream()
			.flatMap((endpoint) -> endpoint.getAdditionalPaths(WebServerNamespace.SERVER).stream())
			.toList();
		ProbePaths paths = ProbePaths.onMainPort(separatePort, endpoints.getBasePath(), endpoints.getAllPaths(),
				additionalPaths);
		return prefix.isEmpty() ? paths : ProbePaths.of(paths.paths().stream().map((path) -> prefix + path).toList());
	}

	/**
	 * Returns what the dispatcher servlet's mapping puts before the paths it serves:
	 * {@code /api} for {@code /api}, {@code /api/} or {@code /api/*}, nothing for
	 * {@code /}.
	 */
	private static String servletPathPrefix(String servletPath) {
		int wildcard = servletPath.indexOf('*');
		String prefix = (wildcard != -1) ? servletPath.substring(0, wildcard) : servletPath;
		return prefix.endsWith("/") ? prefix.substring(0, prefix.length() - 1) : prefix;
	}

}
