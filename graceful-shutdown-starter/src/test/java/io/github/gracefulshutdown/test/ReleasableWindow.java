package io.github.gracefulshutdown.test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.PropagationWindow;
import io.github.gracefulshutdown.drain.WindowEndReason;

/**
 * A propagation window that lasts until the test releases it (or 30 seconds pass), so
 * that tests can look at the application during the window without racing a clock.
 */
public final class ReleasableWindow implements PropagationWindow {

	private static final Duration LONGEST = Duration.ofSeconds(30);

	private final CountDownLatch released = new CountDownLatch(1);

	private final AtomicInteger awaits = new AtomicInteger();

	private volatile String threadName = "";

	@Override
	public WindowEndReason await(Drain drain) throws InterruptedException {
		this.awaits.incrementAndGet();
		this.threadName = Thread.currentThread().getName();
		this.released.await(LONGEST.toNanos() - drain.elapsedNanos(), TimeUnit.NANOSECONDS);
		return WindowEndReason.FIXED;
	}

	@Override
	public Duration maxLength() {
		return LONGEST;
	}

	/**
	 * Ends the window.
	 */
	public void release() {
		this.released.countDown();
	}

	/**
	 * Returns how many times a drain waited for this window.
	 * @return the number of waits
	 */
	public int awaits() {
		return this.awaits.get();
	}

	/**
	 * Returns the name of the thread that last waited for this window.
	 * @return the thread name
	 */
	public String threadName() {
		return this.threadName;
	}

}
