package io.github.gracefulshutdown.drain;

/**
 * Callback for the milestones of a drain. Implementations registered as beans are called
 * in order; one that throws is logged and does not stop the others or the drain.
 * Applications that prefer Spring application events can listen for the events in
 * {@code io.github.gracefulshutdown.drain.event} instead.
 */
public interface DrainListener {

	/**
	 * Called once, on the thread of the first trigger, as soon as the drain starts.
	 * @param drain the drain that started
	 */
	default void drainStarted(Drain drain) {
	}

	/**
	 * Called once when the propagation window ends, before the web server stops accepting
	 * connections: a good moment to stop schedulers and message consumers.
	 * @param drain the running drain
	 */
	default void windowEnded(Drain drain) {
	}

	/**
	 * Called once when the drain has finished, just before the application stops.
	 * @param drain the finished drain
	 */
	default void drainCompleted(Drain drain) {
	}

}
