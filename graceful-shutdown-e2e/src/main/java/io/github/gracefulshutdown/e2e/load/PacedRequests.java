package io.github.gracefulshutdown.e2e.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;

import org.jspecify.annotations.Nullable;

/**
 * The protocol-neutral part of a {@link SteadyLoad}: one thread that asks for a request
 * at a fixed rate, whatever the answers, a cap on the requests in flight, and the record
 * of every request. A load generator sends each request the way its protocol does, takes
 * a place in flight before sending with {@link #tryBegin}, and gives it back with the
 * request's record through {@link #ended}.
 */
public final class PacedRequests {

	private static final int MAX_IN_FLIGHT = 1000;

	private final int perSecond;

	private final int maxInFlight;

	private final String refusal;

	private final Semaphore inFlight;

	private final Queue<RequestRecord> records = new ConcurrentLinkedQueue<>();

	private final ScheduledExecutorService scheduler;

	private volatile boolean sending;

	/**
	 * Creates paced requests with room for 1000 in flight; none is sent before
	 * {@link #start}.
	 * @param threadName the name of the pacing thread
	 * @param perSecond how many requests to send each second
	 * @param noun what a request is called in the record of one refused at the cap, such
	 * as {@code "calls"}
	 */
	public PacedRequests(String threadName, int perSecond, String noun) {
		this(threadName, perSecond, MAX_IN_FLIGHT, noun);
	}

	PacedRequests(String threadName, int perSecond, int maxInFlight, String noun) {
		this.perSecond = perSecond;
		this.maxInFlight = maxInFlight;
		this.refusal = maxInFlight + " " + noun + " in flight";
		this.inFlight = new Semaphore(maxInFlight);
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, threadName);
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Returns the pacing thread's scheduler, for other timed work of the load; it runs
	 * until {@link #stop} or {@link #close}.
	 * @return the scheduler
	 */
	public ScheduledExecutorService scheduler() {
		return this.scheduler;
	}

	/**
	 * Starts asking for requests: from now on and until {@link #stop}, or {@code longest}
	 * at the latest, {@code send} is called on the pacing thread at the fixed rate.
	 * @param longest the absolute limit: sending stops by itself after this long
	 * @param send sends one request; it gets the request's start in
	 * {@link System#nanoTime()}
	 */
	public void start(Duration longest, LongConsumer send) {
		this.sending = true;
		this.scheduler.scheduleAtFixedRate(() -> {
			if (this.sending) {
				send.accept(System.nanoTime());
			}
		}, 0, TimeUnit.SECONDS.toNanos(1) / this.perSecond, TimeUnit.NANOSECONDS);
		this.scheduler.schedule(() -> this.sending = false, longest.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Takes a place in flight for a request about to be sent, or, when all are taken,
	 * records the request as not sent.
	 * @param start the request's start, in {@link System#nanoTime()}
	 * @param instance where the request would go, when known
	 * @return {@code true} if the request may be sent: its place must then be given back
	 * through {@link #ended}
	 */
	public boolean tryBegin(long start, @Nullable String instance) {
		if (this.inFlight.tryAcquire()) {
			return true;
		}
		notSent(start, instance, this.refusal);
		return false;
	}

	/**
	 * Records a request that ended and gives back its place in flight.
	 * @param record how the request ended
	 */
	public void ended(RequestRecord record) {
		try {
			this.records.add(record);
		}
		finally {
			this.inFlight.release();
		}
	}

	/**
	 * Records a request that was not sent and held no place in flight.
	 * @param start the request's start, in {@link System#nanoTime()}
	 * @param instance where the request would have gone, when known
	 * @param detail why it was not sent
	 */
	public void notSent(long start, @Nullable String instance, String detail) {
		this.records.add(new RequestRecord(start, start, Outcome.NOT_SENT, 0, instance, detail));
	}

	/**
	 * Stops sending, waits for the requests in flight to end and returns every request's
	 * record.
	 * @param timeout the longest to wait for the pacing thread, and then for the requests
	 * in flight
	 * @return the records, in the order the requests were sent
	 * @throws InterruptedException if interrupted while waiting
	 */
	public List<RequestRecord> stop(Duration timeout) throws InterruptedException {
		this.sending = false;
		this.scheduler.shutdownNow();
		this.scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
		if (this.inFlight.tryAcquire(this.maxInFlight, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			this.inFlight.release(this.maxInFlight);
		}
		List<RequestRecord> sent = new ArrayList<>(this.records);
		sent.sort(Comparator.comparingLong(RequestRecord::startNanos));
		return sent;
	}

	/**
	 * Stops sending at once, without waiting for anything.
	 */
	public void close() {
		this.sending = false;
		this.scheduler.shutdownNow();
	}

}
