package io.github.gracefulshutdown.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A gate that a test opens: a thread that waits at it goes on once it is open, or after
 * 30 seconds, so that a test that fails never holds a shutdown for good.
 */
final class Gate {

	private final CountDownLatch opened = new CountDownLatch(1);

	/**
	 * Waits until the gate is open, or 30 seconds have passed.
	 */
	void pass() {
		try {
			this.opened.await(30, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Opens the gate.
	 */
	void open() {
		this.opened.countDown();
	}

}
