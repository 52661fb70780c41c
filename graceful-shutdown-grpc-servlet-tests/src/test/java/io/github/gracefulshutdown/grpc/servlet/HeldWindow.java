package io.github.gracefulshutdown.grpc.servlet;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.PropagationWindow;
import io.github.gracefulshutdown.drain.WindowEndReason;

/**
 * A propagation window that lasts until the test releases it, so that the test decides
 * what the window sees.
 */
final class HeldWindow implements PropagationWindow {

	private static final Duration LONGEST = Duration.ofSeconds(30);

	private final CountDownLatch released = new CountDownLatch(1);

	@Override
	public WindowEndReason await(Drain drain) throws InterruptedException {
		this.released.await(LONGEST.toNanos() - drain.elapsedNanos(), TimeUnit.NANOSECONDS);
		return WindowEndReason.FIXED;
	}

	@Override
	public Duration maxLength() {
		return LONGEST;
	}

	void release() {
		this.released.countDown();
	}

}
