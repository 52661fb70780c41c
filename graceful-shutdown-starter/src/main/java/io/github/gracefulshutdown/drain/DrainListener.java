package io.github.gracefulshutdown.drain;

/**
 * Callback for the milestones of a drain. Implementations registered as beans are called
 * in order, on a thread of the drain's own. The listeners of one milestone share a
 * timeout ({@code graceful-shutdown.listener-timeout}): one that throws is logged and
 * does not stop the others; one that blocks is logged, left behind at the timeout, and
 * the drain and the other listeners go on without it. Applications that prefer Spring
 * application events can listen for the events in
 * {@code io.github.gracefulshutdown.drain.event} instead; they are called the same way.
 */
public interface DrainListener {

	/**
	 * Called once, as soon as the drain starts; the propagation window already runs.
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
