package io.github.gracefulshutdown.drain;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link RequestActivity}.
 */
class RequestActivityTests {

	private final RequestActivity activity = new RequestActivity();

	@Test
	void countsRequestsInFlight() {
		this.activity.requestReceived(false);
		this.activity.requestReceived(false);
		this.activity.requestCompleted();

		assertThat(this.activity.inFlight()).isOne();
		assertThat(this.activity.receivedWhileDraining()).isZero();
	}

	@Test
	void recordsOnlyRequestsReceivedWhileDrainingForTheLag() {
		Drain drain = new Drain(DrainTrigger.CONTEXT_CLOSE, Clock.systemUTC());
		this.activity.requestReceived(false);
		assertThat(this.activity.lastRequestAfterDrainStart(drain)).isEmpty();

		this.activity.requestReceived(true);
		this.activity.requestReceived(true);

		assertThat(this.activity.receivedWhileDraining()).isEqualTo(2);
		assertThat(this.activity.lastRequestAfterDrainStart(drain))
			.hasValueSatisfying((lag) -> assertThat(lag).isGreaterThanOrEqualTo(Duration.ZERO)
				.isLessThanOrEqualTo(Duration.ofNanos(drain.elapsedNanos())));
	}

	@Test
	void arrivalsOfTrafficServedBesideDuringADrainAreArrivalsOfTheWindowsActivityToo() {
		Drain drain = new Drain(DrainTrigger.CONTEXT_CLOSE, Clock.systemUTC());
		RequestActivity besides = new RequestActivity(this.activity, () -> 0);
		besides.requestReceived(false);
		assertThat(this.activity.lastRequestAfterDrainStart(drain)).isEmpty();

		besides.requestReceived(true);
		besides.drainTrafficReceived();

		assertThat(this.activity.lastRequestAfterDrainStart(drain)).isPresent();
		assertThat(this.activity.receivedWhileDraining()).isZero();
		assertThat(this.activity.inFlight()).isZero();
		assertThat(besides.inFlight()).isEqualTo(2);
		assertThat(besides.receivedWhileDraining()).isEqualTo(2);
	}

	@Test
	void requestsInFlightCountedElsewhereAreInFlightBesideThoseReportedHere() {
		AtomicLong countedElsewhere = new AtomicLong(3);
		RequestActivity besides = new RequestActivity(this.activity, countedElsewhere::get);

		besides.drainTrafficReceived();
		besides.requestReceived(false);

		assertThat(besides.inFlight()).isEqualTo(4);
		assertThat(besides.receivedWhileDraining()).isOne();
		besides.requestCompleted();
		countedElsewhere.set(0);
		assertThat(besides.inFlight()).isZero();
	}

}
