package io.github.gracefulshutdown.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiFunction;

import io.github.gracefulshutdown.drain.ActiveRequest;
import org.jspecify.annotations.Nullable;

/**
 * Remembers the requests in flight and when each started, so that the ones still running
 * at the in-flight deadline can be named. A fixed table of slots claimed with a
 * compare-and-set: no lock and no allocation per request, whatever the threading model
 * (platform or virtual threads). When every slot is taken, requests still count but are
 * not remembered.
 *
 * @param <R> the type of the web stack's requests
 */
public final class InFlightRequestTable<R> {

	private static final long UNSET = Long.MIN_VALUE;

	/**
	 * Scatters the first slot threads try over the table, so that two threads rarely
	 * write to the same cache line.
	 */
	private static final long SPREAD = 0x9E3779B97F4A7C15L;

	private final AtomicReferenceArray<R> requests;

	private final AtomicLongArray startNanos;

	private final int mask;

	private final BiFunction<R, Duration, ActiveRequest> describer;

	/**
	 * Creates a table.
	 * @param capacity the number of slots, a power of two
	 * @param describer describes a request that has been running for the given time; may
	 * throw if the request has meanwhile been recycled by the web server
	 */
	public InFlightRequestTable(int capacity, BiFunction<R, Duration, ActiveRequest> describer) {
		if (capacity <= 0 || Integer.bitCount(capacity) != 1) {
			throw new IllegalArgumentException("capacity must be a power of two, got " + capacity);
		}
		this.requests = new AtomicReferenceArray<>(capacity);
		this.startNanos = new AtomicLongArray(capacity);
		for (int slot = 0; slot < capacity; slot++) {
			this.startNanos.set(slot, UNSET);
		}
		this.mask = capacity - 1;
		this.describer = describer;
	}

	/**
	 * Remembers a request that starts now.
	 * @param request the request
	 * @return the slot to release when the request finishes, or {@code -1} if the table
	 * is full
	 */
	@SuppressWarnings("deprecation") // Thread.getId(): threadId() needs Java 19
	public int claim(R request) {
		int start = (int) (Thread.currentThread().getId() * SPREAD);
		for (int i = 0; i <= this.mask; i++) {
			int slot = (start + i) & this.mask;
			if (this.requests.get(slot) == null && this.requests.compareAndSet(slot, null, request)) {
				// A release write: a snapshot that reads this time reads the request
				// again
				// after it, and so never pairs it with the slot's previous request
				this.startNanos.setRelease(slot, System.nanoTime());
				return slot;
			}
		}
		return -1;
	}

	/**
	 * Forgets the request in the given slot.
	 * @param slot a slot returned by {@link #claim(Object)}
	 */
	public void release(int slot) {
		if (slot >= 0) {
			// Release writes, without the fence of a volatile write: a reader that sees
			// the slot free also sees its time unset, and one that sees the request a
			// moment longer would have seen it had it looked a moment earlier
			this.startNanos.setRelease(slot, UNSET);
			this.requests.setRelease(slot, null);
		}
	}

	/**
	 * Returns the requests in flight, longest running first. A request that finishes
	 * while the table is read may be left out.
	 * @return the remembered requests
	 */
	public List<ActiveRequest> snapshot() {
		List<ActiveRequest> active = new ArrayList<>();
		long now = System.nanoTime();
		for (int slot = 0; slot <= this.mask; slot++) {
			R request = this.requests.get(slot);
			long start = this.startNanos.get(slot);
			if (request != null && start != UNSET) {
				ActiveRequest described = describe(request, Duration.ofNanos(now - start));
				if (described != null && this.requests.get(slot) == request) {
					active.add(described);
				}
			}
		}
		active.sort(Comparator.comparing(ActiveRequest::runningFor).reversed());
		return active;
	}

	/**
	 * Returns how many requests the table remembers: an exact count when no request
	 * starts or finishes while the table is read, which takes a read of every slot.
	 * @return the number of slots taken
	 */
	public int size() {
		int taken = 0;
		for (int slot = 0; slot <= this.mask; slot++) {
			if (this.requests.get(slot) != null) {
				taken++;
			}
		}
		return taken;
	}

	/**
	 * Returns the requests in flight, in no particular order. A request that finishes
	 * while the table is read may be included or left out.
	 * @return the remembered requests
	 */
	public List<R> requests() {
		List<R> requests = new ArrayList<>();
		for (int slot = 0; slot <= this.mask; slot++) {
			R request = this.requests.get(slot);
			if (request != null) {
				requests.add(request);
			}
		}
		return requests;
	}

	private @Nullable ActiveRequest describe(R request, Duration runningFor) {
		try {
			return this.describer.apply(request, runningFor);
		}
		catch (RuntimeException ex) {
			// The request finished and was recycled while we looked at it
			return null;
		}
	}

}
