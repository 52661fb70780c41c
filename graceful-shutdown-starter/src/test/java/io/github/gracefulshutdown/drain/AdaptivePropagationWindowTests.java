package io.github.gracefulshutdown.drain;

import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link AdaptivePropagationWindow}.
 */
class AdaptivePropagationWindowTests {

	private static final long MIN = 2_000;

	private static final long QUIET = 1_000;

	private static final long MAX = 10_000;

	@Test
	void whenNoRequestArrivesThenWindowEndsAfterTheLongerOfMinimumAndQuietPeriod() {
		assertThat(remaining(0, 0)).isEqualTo(2_000);
		assertThat(remaining(1_999, 0)).isEqualTo(1);
		assertThat(remaining(2_000, 0)).isZero();
		assertThat(AdaptivePropagationWindow.remainingNanos(0, 0, 500, 3_000, MAX)).isEqualTo(3_000);
	}

	@Test
	void whileRequestsKeepArrivingThenWindowWaitsForAQuietPeriodAfterTheLastOne() {
		assertThat(remaining(4_000, 3_500)).isEqualTo(500);
		assertThat(remaining(4_499, 3_500)).isEqualTo(1);
		assertThat(remaining(4_500, 3_500)).isZero();
	}

	@Test
	void whenRequestsNeverStopThenWindowEndsAtTheMaximum() {
		assertThat(remaining(9_500, 9_400)).isEqualTo(500);
		assertThat(remaining(10_000, 9_999)).isZero();
	}

	@Test
	void windowNeverEndsBeforeTheMinimum() {
		assertThat(remaining(100, 50)).isEqualTo(1_900);
	}

	@Test
	void windowEndsAtOnceWhenTheDrainIsAlreadyOlderThanTheWindow() throws InterruptedException {
		RequestActivity activity = new RequestActivity();
		AdaptivePropagationWindow window = new AdaptivePropagationWindow(Duration.ZERO, Duration.ofNanos(1),
				Duration.ofNanos(1), activity);
		Drain drain = new Drain(DrainTrigger.CONTEXT_CLOSE, Clock.systemUTC());

		window.await(drain);

		assertThat(window.remainingNanos(drain)).isNotPositive();
		assertThat(window.maxLength()).isEqualTo(Duration.ofNanos(1));
	}

	@Test
	void requestsReceivedDuringTheDrainPushTheEndBack() {
		RequestActivity activity = new RequestActivity();
		AdaptivePropagationWindow window = new AdaptivePropagationWindow(Duration.ZERO, Duration.ofSeconds(30),
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
		assertThatIllegalArgumentException().isThrownBy(() -> new AdaptivePropagationWindow(Duration.ofSeconds(5),
				Duration.ofSeconds(1), Duration.ofSeconds(4), activity));
		assertThatIllegalArgumentException().isThrownBy(
				() -> new AdaptivePropagationWindow(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(4), activity));
	}

	private static long remaining(long elapsed, long lastRequest) {
		return AdaptivePropagationWindow.remainingNanos(elapsed, lastRequest, MIN, QUIET, MAX);
	}

}
