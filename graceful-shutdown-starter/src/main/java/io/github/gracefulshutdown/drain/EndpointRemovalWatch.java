package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * Learns when the platform has published that the application's endpoint is out of
 * service: the moment every router was told to stop sending to it. Only asked at the
 * start of a drain.
 */
public interface EndpointRemovalWatch {

	/**
	 * Starts watching and returns at once. The result completes with the
	 * {@link System#nanoTime()} reading at which the removal was seen, or exceptionally
	 * with an {@link EndpointWatchException} that says why the watch cannot tell.
	 * Cancelling the result stops the watch and releases what it holds.
	 * @return the time the removal was published
	 */
	CompletableFuture<Long> start();

	/**
	 * Returns how long the routers that learn of the removal from the same source take to
	 * apply it: the window keeps serving at least this long after the removal was
	 * published.
	 * @return the tail of the window
	 */
	Duration tail();

}
