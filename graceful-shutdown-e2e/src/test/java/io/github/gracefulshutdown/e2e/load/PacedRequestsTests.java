package io.github.gracefulshutdown.e2e.load;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link PacedRequests}, with in-process requests that stay in flight until the
 * test ends them.
 */
class PacedRequestsTests {

	private static final Duration LONGEST = Duration.ofMinutes(1);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final int MAX_IN_FLIGHT = 2;

	private final PacedRequests requests = new PacedRequests("test-pacing", 100, MAX_IN_FLIGHT, "requests");

	/**
	 * The start of each request sent and not ended yet, in the order they were sent.
	 */
	private final Queue<Long> inFlight = new ConcurrentLinkedQueue<>();

	private final AtomicInteger refused = new AtomicInteger();

	@AfterEach
	void close() {
		this.requests.close();
	}

	@Test
	void aRequestBeyondTheCapIsRecordedAsNotSentAndTheRecordsComeInTheOrderTheRequestsWereSent() throws Exception {
		this.requests.start(LONGEST, this::send);
		await().atMost(TIMEOUT).until(() -> this.refused.get() > 0);
		assertThat(this.inFlight).hasSize(MAX_IN_FLIGHT);

		// The later request ends first: its record is kept before the earlier one's
		List<Long> sent = new ArrayList<>(this.inFlight);
		end(sent.get(1));
		end(sent.get(0));
		List<RequestRecord> records = this.requests.stop(TIMEOUT);

		assertThat(records).isSortedAccordingTo(Comparator.comparingLong(RequestRecord::startNanos));
		assertThat(records).filteredOn((request) -> request.outcome() == Outcome.SUCCESS)
			.extracting(RequestRecord::startNanos)
			.containsExactlyElementsOf(sent);
		assertThat(records).filteredOn((request) -> request.outcome() == Outcome.NOT_SENT)
			.isNotEmpty()
			.allMatch((request) -> request.startNanos() > sent.get(1))
			.allMatch((request) -> request.endNanos() == request.startNanos())
			.allMatch((request) -> "pod1-v1".equals(request.instance()))
			.allMatch((request) -> "2 requests in flight".equals(request.detail()));
	}

	@Test
	void stopWaitsForTheRequestsInFlight() throws Exception {
		this.requests.start(LONGEST, this::send);
		await().atMost(TIMEOUT).until(() -> this.refused.get() > 0);
		AtomicReference<List<RequestRecord>> stopped = new AtomicReference<>();
		Thread stopping = new Thread(() -> {
			try {
				stopped.set(this.requests.stop(TIMEOUT));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}, "test-stop");
		stopping.setDaemon(true);
		stopping.start();
		// The pacing thread has ended: stop waits for the places in flight
		await().atMost(TIMEOUT)
			.until(() -> this.requests.scheduler().isTerminated() && stopping.getState() == Thread.State.TIMED_WAITING);

		List<Long> sent = new ArrayList<>(this.inFlight);
		end(sent.get(0));
		assertThat(stopped.get()).isNull();
		end(sent.get(1));
		await().atMost(TIMEOUT).until(() -> stopped.get() != null);

		assertThat(stopped.get()).filteredOn((request) -> request.outcome() == Outcome.SUCCESS)
			.extracting(RequestRecord::startNanos)
			.containsExactlyElementsOf(sent);
		assertThat(stopped.get()).filteredOn((request) -> request.outcome() == Outcome.NOT_SENT)
			.hasSize(this.refused.get());
	}

	@Test
	void aRequestNotSentHoldsNoPlaceInFlight() throws Exception {
		AtomicInteger notSent = new AtomicInteger();
		this.requests.start(LONGEST, (start) -> {
			this.requests.notSent(start, null, "no endpoint");
			notSent.incrementAndGet();
		});
		await().atMost(TIMEOUT).until(() -> notSent.get() > MAX_IN_FLIGHT);

		long start = System.nanoTime();
		assertThat(this.requests.tryBegin(start, "pod1-v1")).isTrue();
		end(start);
		List<RequestRecord> records = this.requests.stop(TIMEOUT);

		assertThat(records).filteredOn((request) -> request.outcome() == Outcome.NOT_SENT)
			.hasSize(notSent.get())
			.allMatch((request) -> request.instance() == null)
			.allMatch((request) -> "no endpoint".equals(request.detail()));
		assertThat(records).filteredOn((request) -> request.outcome() == Outcome.SUCCESS).hasSize(1);
	}

	private void send(long start) {
		if (this.requests.tryBegin(start, "pod1-v1")) {
			this.inFlight.add(start);
		}
		else {
			this.refused.incrementAndGet();
		}
	}

	private void end(long start) {
		this.inFlight.remove(start);
		this.requests.ended(new RequestRecord(start, System.nanoTime(), Outcome.SUCCESS, 200, "pod1-v1", null));
	}

}
