package io.github.gracefulshutdown.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ShutdownPhaseTimeouts}: when the shutdown's deadline starts, on a
 * clock the test moves.
 */
class ShutdownPhaseTimeoutsTests {

	private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

	private final AtomicLong nanoTime = new AtomicLong(1_000_000_000L);

	private final DrainBudget budget = DrainBudget.plan(GRACE_PERIOD, Duration.ZERO,
			List.of(new DrainBudget.Allotment(DrainBudget.WINDOW_STEP, "graceful-shutdown.delay", Duration.ZERO)), null,
			Duration.ofSeconds(2));

	private final ShutdownPhaseTimeouts phaseTimeouts = new ShutdownPhaseTimeouts(
			new StaticListableBeanFactory(Map.of("drainBudget", this.budget)).getBeanProvider(DrainBudget.class),
			this.nanoTime::get);

	@ParameterizedTest
	@EnumSource(value = DrainTrigger.class, names = { "PRE_STOP_HOOK", "ENDPOINT", "APPLICATION" })
	void whenThePreStopHookWasCalledWithinTheGracePeriodThenTheDeadlineCountsFromTheCall(DrainTrigger trigger) {
		this.phaseTimeouts.preStopHookCalled();
		long called = this.nanoTime.get();
		Drain drain = drain(trigger);
		elapse(Duration.ofSeconds(20));

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(called);
	}

	@ParameterizedTest
	@EnumSource(value = DrainTrigger.class, names = { "PRE_STOP_HOOK", "ENDPOINT", "APPLICATION" })
	void whenThePreStopHookWasCalledLongerAgoThanTheGracePeriodThenTheDeadlineCountsFromTheClose(DrainTrigger trigger) {
		this.phaseTimeouts.preStopHookCalled();
		Drain drain = drain(trigger);
		elapse(Duration.ofHours(2));
		long closed = this.nanoTime.get();

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(closed);
		assertThat(this.phaseTimeouts.timeLeft()).isEqualTo(this.budget.phaseTimeoutLeft(0));
	}

	@Test
	void whenTheHookIsCalledAgainLongAfterAnEarlierCallThenTheDeadlineCountsFromTheNewCall() {
		this.phaseTimeouts.preStopHookCalled();
		Drain drain = drain(DrainTrigger.PRE_STOP_HOOK);
		elapse(Duration.ofHours(2));
		this.phaseTimeouts.preStopHookCalled();
		long calledAgain = this.nanoTime.get();
		elapse(Duration.ofSeconds(5));

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(calledAgain);
	}

	@Test
	void aSecondCallWithinTheGracePeriodDoesNotMoveTheDeadlineLater() {
		this.phaseTimeouts.preStopHookCalled();
		long first = this.nanoTime.get();
		Drain drain = drain(DrainTrigger.PRE_STOP_HOOK);
		elapse(Duration.ofSeconds(10));
		this.phaseTimeouts.preStopHookCalled();
		elapse(Duration.ofSeconds(5));

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(first);
	}

	@Test
	void withoutAPreStopCallADrainStartedEarlierCountsItsDeadlineFromTheClose() {
		Drain drain = drain(DrainTrigger.ENDPOINT);
		elapse(Duration.ofSeconds(10));
		long closed = this.nanoTime.get();

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(closed);
	}

	private static Drain drain(DrainTrigger trigger) {
		return new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of, Clock.systemUTC())
			.startDrain(trigger);
	}

	private void elapse(Duration duration) {
		this.nanoTime.addAndGet(duration.toNanos());
	}

}
