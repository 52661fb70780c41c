package io.github.gracefulshutdown.test;

import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Holds the close of the application context after the other listeners of its close, the
 * WebSocket drain among them, and before any lifecycle bean stops, until the test
 * releases it (or 30 seconds pass): the close is still running and the web server still
 * accepts connections.
 */
public final class ConnectionDrainEndHold implements ApplicationListener<ContextClosedEvent>, Ordered {

	private final Gate gate = new Gate();

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		this.gate.pass();
	}

	/**
	 * Lets the close go on.
	 */
	public void release() {
		this.gate.open();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
