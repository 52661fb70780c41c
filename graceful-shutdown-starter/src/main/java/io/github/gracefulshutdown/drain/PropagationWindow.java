package io.github.gracefulshutdown.drain;

import java.time.Duration;

/**
 * Decides how long the application keeps serving after its drain started, while the
 * removal of its endpoint propagates to everything that routes traffic to it.
 */
public interface PropagationWindow {

	/**
	 * Blocks the calling thread until the window of the given drain ends. Must return no
	 * later than {@link #maxLength()} after the drain started.
	 * @param drain the running drain
	 * @throws InterruptedException if the thread is interrupted; the window then ends
	 */
	void await(Drain drain) throws InterruptedException;

	/**
	 * Returns the longest this window can last, counted from the start of the drain.
	 * @return the upper bound of the window
	 */
	Duration maxLength();

}
