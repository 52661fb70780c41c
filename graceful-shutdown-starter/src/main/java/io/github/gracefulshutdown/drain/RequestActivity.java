package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the requests the application receives and finishes. Cheap enough to be told of
 * every request: outside a drain a request costs two counter updates; during a drain it
 * also records when it arrived, which is what the adaptive window and the measured
 * propagation lag are made of.
 */
public final class RequestActivity {

	private static final long NONE = Long.MIN_VALUE;

	private final LongAdder inFlight = new LongAdder();

	private final LongAdder receivedWhileDraining = new LongAdder();

	private volatile long lastReceivedWhileDrainingNanos = NONE;

	/**
	 * Records that a request arrived.
	 * @param draining whether a drain is running
	 */
	public void requestReceived(boolean draining) {
		this.inFlight.increment();
		if (draining) {
			this.receivedWhileDraining.increment();
			this.lastReceivedWhileDrainingNanos = System.nanoTime();
		}
	}

	/**
	 * Records that a request has finished.
	 */
	public void requestCompleted() {
		this.inFlight.decrement();
	}

	/**
	 * Returns how many requests are in flight.
	 * @return the number of requests received and not finished yet
	 */
	public long inFlight() {
		return this.inFlight.sum();
	}

	/**
	 * Returns how many requests arrived while a drain was running.
	 * @return the number of requests received since the drain started
	 */
	public long receivedWhileDraining() {
		return this.receivedWhileDraining.sum();
	}

	/**
	 * Returns how long after the start of the drain the last request arrived: the
	 * propagation lag this application measured, and the shortest window that would have
	 * served every request.
	 * @param drain the running or completed drain
	 * @return the time from the start of the drain to the last request received, or empty
	 * if no request arrived during the drain
	 */
	public Optional<Duration> lastRequestAfterDrainStart(Drain drain) {
		long last = this.lastReceivedWhileDrainingNanos;
		if (last == NONE) {
			return Optional.empty();
		}
		return Optional.of(Duration.ofNanos(Math.max(0, drain.nanosSinceStart(last))));
	}

}
