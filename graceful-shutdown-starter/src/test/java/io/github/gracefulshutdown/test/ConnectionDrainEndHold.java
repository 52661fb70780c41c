package io.github.gracefulshutdown.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

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

	private final CountDownLatch released = new CountDownLatch(1);

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		try {
			this.released.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Lets the close go on.
	 */
	public void release() {
		this.released.countDown();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
