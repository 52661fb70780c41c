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
	 * @return why the window ended
	 * @throws InterruptedException if the thread is interrupted; the window then ends
	 */
	WindowEndReason await(Drain drain) throws InterruptedException;

	/**
	 * Returns the shortest this window lasts, counted from the start of the drain: the
	 * time past it is the window's extension.
	 * @return the lower bound of the window, {@link #maxLength()} unless overridden
	 */
	default Duration minLength() {
		return maxLength();
	}

	/**
	 * Returns the longest this window can last, counted from the start of the drain.
	 * @return the upper bound of the window
	 */
	Duration maxLength();

}
