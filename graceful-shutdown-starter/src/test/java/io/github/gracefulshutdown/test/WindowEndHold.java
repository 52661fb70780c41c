package io.github.gracefulshutdown.test;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;

import org.springframework.core.Ordered;

/**
 * Holds the drain at the end of the window, after the other listeners, until the test
 * releases it (or 30 seconds pass): the web server still accepts connections.
 */
public final class WindowEndHold implements DrainListener, Ordered {

	private final Gate gate = new Gate();

	@Override
	public void windowEnded(Drain drain) {
		this.gate.pass();
	}

	/**
	 * Lets the drain go on.
	 */
	public void release() {
		this.gate.open();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
