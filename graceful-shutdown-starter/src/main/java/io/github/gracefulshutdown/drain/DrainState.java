package io.github.gracefulshutdown.drain;

/**
 * Where the application stands with respect to its drain.
 */
public enum DrainState {

	/**
	 * No drain has started: the application serves normally.
	 */
	SERVING,

	/**
	 * A drain is running.
	 */
	DRAINING,

	/**
	 * The drain has finished; the application is about to stop.
	 */
	DRAINED

}
