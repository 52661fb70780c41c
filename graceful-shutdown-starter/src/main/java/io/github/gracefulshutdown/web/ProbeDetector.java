package io.github.gracefulshutdown.web;

import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Tells probes and actuator requests apart from traffic on the main port. The probe paths
 * are worked out once, when every singleton exists (the actuator's endpoints and health
 * groups among them) and before the web server accepts requests: the request filter is
 * created too early to look them up itself, and a request thread during a drain is the
 * wrong place to do it.
 */
public final class ProbeDetector implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(ProbeDetector.class);

	private final Supplier<ProbePaths> resolver;

	private volatile ProbePaths paths = ProbePaths.none();

	/**
	 * Creates a detector.
	 * @param resolver works out the probe paths, once every singleton exists
	 */
	public ProbeDetector(Supplier<ProbePaths> resolver) {
		this.resolver = resolver;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.paths = this.resolver.get();
		if (logger.isDebugEnabled()) {
			logger.debug("Requests to " + this.paths + " are probes during a drain");
		}
	}

	/**
	 * Returns whether a request is a probe or an actuator request. Costs a volatile read
	 * and no allocation.
	 * @param requestUri the request's path, context path included
	 * @param pathStart where the path within the application starts: the length of the
	 * context path
	 * @return whether the request is a probe
	 */
	public boolean isProbe(String requestUri, int pathStart) {
		return this.paths.matches(requestUri, pathStart);
	}

	/**
	 * Returns the probe paths.
	 * @return the paths, none before every singleton exists
	 */
	public ProbePaths paths() {
		return this.paths;
	}

}
