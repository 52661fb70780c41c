package io.github.gracefulshutdown.e2e.load;

import org.jspecify.annotations.Nullable;

/**
 * Chooses where each request of the load goes.
 */
@FunctionalInterface
public interface RequestTarget {

	/**
	 * Returns the route for the next request.
	 * @return the route, or {@code null} if there is nowhere to send it
	 */
	@Nullable Route next();

}
