package io.github.gracefulshutdown.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The paths on the main port that probes and monitoring use: requests to them, or below
 * them, keep arriving during a drain whatever the load balancers do, so they are not
 * traffic. Matching costs no allocation, but it is only needed during a drain.
 */
public final class ProbePaths {

	private static final ProbePaths NONE = new ProbePaths(List.of());

	private final String[] paths;

	private ProbePaths(Collection<String> paths) {
		this.paths = paths.toArray(String[]::new);
	}

	/**
	 * Returns probe paths that match no request, for an application without actuator
	 * endpoints.
	 * @return no probe paths
	 */
	public static ProbePaths none() {
		return NONE;
	}

	/**
	 * Returns the given probe paths.
	 * @param paths paths within the application, such as {@code /actuator} or
	 * {@code /livez}; a trailing slash is ignored, and {@code /} or an empty path, which
	 * would make every request a probe, is left out
	 * @return the probe paths
	 */
	public static ProbePaths of(Collection<String> paths) {
		Set<String> cleaned = new LinkedHashSet<>();
		for (String path : paths) {
			String withoutTrailingSlash = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
			if (!withoutTrailingSlash.isEmpty()) {
				cleaned.add(withoutTrailingSlash.startsWith("/") ? withoutTrailingSlash : "/" + withoutTrailingSlash);
			}
		}
		return new ProbePaths(cleaned);
	}

	/**
	 * Decides which requests on the main port are probes and actuator requests. With a
	 * management port of its own, the actuator is not on the main port, and only the
	 * additional paths are. On a shared port, the actuator answers everything below its
	 * base path; with a base path of {@code /} (or empty), only the exposed endpoints'
	 * own paths are the actuator's, not every request.
	 * @param separateManagementPort whether the actuator has a port of its own (or none)
	 * @param basePath the actuator's base path, such as {@code /actuator}
	 * @param endpointPaths the paths of the exposed endpoints, base path included
	 * @param additionalPaths the health groups' additional paths on the main port, such
	 * as {@code /livez}
	 * @return the probe paths on the main port
	 */
	static ProbePaths onMainPort(boolean separateManagementPort, String basePath, Collection<String> endpointPaths,
			Collection<String> additionalPaths) {
		List<String> paths = new ArrayList<>(additionalPaths);
		if (!separateManagementPort) {
			boolean rootBasePath = basePath.isEmpty() || basePath.equals("/");
			paths.addAll(rootBasePath ? endpointPaths : List.of(basePath));
		}
		return of(paths);
	}

	/**
	 * Returns whether a request goes to one of the paths or below it.
	 * @param requestUri the request URI, as
	 * {@link jakarta.servlet.http.HttpServletRequest#getRequestURI()} returns it
	 * @param pathStart where the path within the application starts in the URI: the
	 * length of the context path
	 * @return whether the request is a probe or an actuator request
	 */
	boolean matches(String requestUri, int pathStart) {
		for (String path : this.paths) {
			if (requestUri.startsWith(path, pathStart)) {
				int end = pathStart + path.length();
				if (requestUri.length() == end || requestUri.charAt(end) == '/') {
					return true;
				}
			}
		}
		return false;
	}

	/**
	 * Returns the probe paths.
	 * @return the paths, each without a trailing slash
	 */
	public List<String> paths() {
		return List.of(this.paths);
	}

	@Override
	public String toString() {
		return paths().toString();
	}

}
