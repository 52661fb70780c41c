package io.github.gracefulshutdown.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;

import org.springframework.core.Ordered;

/**
 * Holds the drain at the end of the window, after the other listeners, until the test
 * releases it (or 30 seconds pass): the web server still accepts connections.
 */
public final class WindowEndHold implements DrainListener, Ordered {

	private final CountDownLatch released = new CountDownLatch(1);

	@Override
	public void windowEnded(Drain drain) {
		try {
			this.released.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Lets the drain go on.
	 */
	public void release() {
		this.released.countDown();
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

}
