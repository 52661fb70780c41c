package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A {@link PropagationWindow} of fixed length.
 */
public final class FixedPropagationWindow implements PropagationWindow {

	private final Duration delay;

	/**
	 * Creates a window that lasts exactly {@code delay}.
	 * @param delay the length of the window, zero or positive
	 */
	public FixedPropagationWindow(Duration delay) {
		if (delay.isNegative()) {
			throw new IllegalArgumentException("delay must not be negative, got " + delay);
		}
		this.delay = delay;
	}

	@Override
	public WindowEndReason await(Drain drain) throws InterruptedException {
		long remaining = this.delay.toNanos() - drain.elapsedNanos();
		if (remaining > 0) {
			TimeUnit.NANOSECONDS.sleep(remaining);
		}
		return WindowEndReason.FIXED;
	}

	@Override
	public Duration maxLength() {
		return this.delay;
	}

	@Override
	public String toString() {
		return "fixed " + Durations.format(this.delay);
	}

}
