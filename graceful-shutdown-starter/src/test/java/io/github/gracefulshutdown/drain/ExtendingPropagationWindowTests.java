package io.github.gracefulshutdown.drain;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ExtendingPropagationWindow}.
 */
class ExtendingPropagationWindowTests {

	private static final long FLOOR = 2_000;

	private static final long QUIET = 1_000;

	private static final long CEILING = 10_000;

	@Test
	void whenNoRequestArrivesThenWindowEndsAfterTheLongerOfFloorAndQuietPeriod() {
		assertThat(remaining(0, 0)).isEqualTo(2_000);
		assertThat(remaining(1_999, 0)).isEqualTo(1);
		assertThat(remaining(2_000, 0)).isZero();
		assertThat(ExtendingPropagationWindow.remainingNanos(0, 0, 500, 3_000, CEILING)).isEqualTo(3_000);
	}

	@Test
	void whileRequestsKeepArrivingThenWindowWaitsForAQuietPeriodAfterTheLastOne() {
		assertThat(remaining(4_000, 3_500)).isEqualTo(500);
		assertThat(remaining(4_499, 3_500)).isEqualTo(1);
		assertThat(remaining(4_500, 3_500)).isZero();
	}

	@Test
	void whenRequestsNeverStopThenWindowEndsAtTheCeiling() {
		assertThat(remaining(9_500, 9_400)).isEqualTo(500);
		assertThat(remaining(10_000, 9_999)).isZero();
	}

	@Test
	void windowNeverEndsBeforeTheFloor() {
		assertThat(remaining(100, 50)).isEqualTo(1_900);
	}

	@Test
	void whenNoRequestArrivedForTheQuietPeriodBeforeTheFloorThenTheWindowEndsAtTheFloor() {
		assertThat(reason(0)).isEqualTo(WindowEndReason.FLOOR);
		assertThat(reason(1_000)).isEqualTo(WindowEndReason.FLOOR);
	}

	@Test
	void whenRequestsArrivedPastTheFloorThenTheWindowEndsBecauseTheyStopped() {
		assertThat(reason(1_001)).isEqualTo(WindowEndReason.QUIET);
		assertThat(reason(9_000)).isEqualTo(WindowEndReason.QUIET);
	}

	@Test
	void whenRequestsArrivedUntilTheCeilingThenTheWindowEndsBecauseOfIt() {
		assertThat(reason(9_001)).isEqualTo(WindowEndReason.CEILING);
		assertThat(ExtendingPropagationWindow.endReason(0, 2_000, 3_000, 2_000)).isEqualTo(WindowEndReason.CEILING);
	}

	@Test
	void windowEndsAtOnceWhenTheDrainIsAlreadyOlderThanTheWindow() throws InterruptedException {
		RequestActivity activity = new RequestActivity();
		ExtendingPropagationWindow window = new ExtendingPropagationWindow(Duration.ZERO, Duration.ofNanos(1),
				Duration.ofNanos(1), activity);
		Drain drain = new Drain(DrainTrigger.CONTEXT_CLOSE, Clock.systemUTC());

		window.await(drain);

		assertThat(window.remainingNanos(drain)).isNotPositive();
		assertThat(window.minLength()).isZero();
		assertThat(window.maxLength()).isEqualTo(Duration.ofNanos(1));
	}

	@Test
	void requestsReceivedDuringTheDrainPushTheEndBack() {
		RequestActivity activity = new RequestActivity();
		ExtendingPropagationWindow window = new ExtendingPropagationWindow(Duration.ZERO, Duration.ofSeconds(30),
				Duration.ofMinutes(1), activity);
		Drain drain = new Drain(DrainTrigger.CONTEXT_CLOSE, Clock.systemUTC());
		long before = window.remainingNanos(drain);

		activity.requestReceived(true);

		assertThat(activity.lastRequestAfterDrainStart(drain)).isPresent();
		assertThat(window.remainingNanos(drain)).isGreaterThanOrEqualTo(before - Duration.ofSeconds(1).toNanos());
	}

	@Test
	void invalidBoundsAreRejected() {
		RequestActivity activity = new RequestActivity();
		assertThatIllegalArgumentException().isThrownBy(() -> new ExtendingPropagationWindow(Duration.ofSeconds(5),
				Duration.ofSeconds(1), Duration.ofSeconds(4), activity));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new ExtendingPropagationWindow(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(4), activity));
	}

	private static WindowEndReason reason(long lastRequest) {
		return ExtendingPropagationWindow.endReason(lastRequest, FLOOR, QUIET, CEILING);
	}

	private static long remaining(long elapsed, long lastRequest) {
		return ExtendingPropagationWindow.remainingNanos(elapsed, lastRequest, FLOOR, QUIET, CEILING);
	}

}
