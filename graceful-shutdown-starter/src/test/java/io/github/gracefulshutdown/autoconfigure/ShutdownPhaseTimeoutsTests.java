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
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.beans.factory.support.StaticListableBeanFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ShutdownPhaseTimeouts}: when the shutdown's deadline starts, on a
 * clock the test moves.
 */
class ShutdownPhaseTimeoutsTests {

	private final AtomicLong nanoTime = new AtomicLong(1_000_000_000L);

	private final DrainBudget budget = DrainBudget.plan(Duration.ofSeconds(30), Duration.ZERO,
			List.of(new DrainBudget.Allotment(DrainBudget.WINDOW_STEP, "graceful-shutdown.delay", Duration.ZERO)), null,
			Duration.ofSeconds(2));

	private final ShutdownPhaseTimeouts phaseTimeouts = new ShutdownPhaseTimeouts(
			new StaticListableBeanFactory(Map.of("drainBudget", this.budget)).getBeanProvider(DrainBudget.class),
			this.nanoTime::get);

	@ParameterizedTest
	@EnumSource(value = DrainTrigger.class, names = { "PRE_STOP_HOOK", "ENDPOINT", "APPLICATION" })
	void whenTheCloseFollowsTheAnswerOfTheHooksCallThenTheDeadlineCountsFromTheCall(DrainTrigger trigger) {
		Drain drain = drain(trigger);
		elapse(Duration.ofMinutes(5));
		long called = this.nanoTime.get();
		Runnable answered = this.phaseTimeouts.preStopHookCalled();
		elapse(Duration.ofSeconds(10));
		answered.run();
		elapse(Duration.ofSeconds(4));

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(called);
	}

	@Test
	void whenThePlatformCallsTheHookRightAfterACallByHandAnsweredThenTheDeadlineCountsFromThePlatformsCall() {
		Runnable byHandAnswered = this.phaseTimeouts.preStopHookCalled();
		Drain drain = drain(DrainTrigger.PRE_STOP_HOOK);
		elapse(Duration.ofSeconds(22));
		byHandAnswered.run();
		elapse(Duration.ofSeconds(2));
		long platformCalled = this.nanoTime.get();
		this.phaseTimeouts.preStopHookCalled().run();
		elapse(Duration.ofMillis(100));

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(platformCalled);
	}

	@Test
	void whenTheCloseBeginsWhileTheHooksCallWaitsThenTheDeadlineCountsFromTheCall() {
		long called = this.nanoTime.get();
		this.phaseTimeouts.preStopHookCalled();
		Drain drain = drain(DrainTrigger.PRE_STOP_HOOK);
		elapse(Duration.ofSeconds(20));

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(called);
	}

	@ParameterizedTest
	@ValueSource(longs = { 6, 25, 7200 })
	void whenTheCloseComesLongAfterTheHooksCallAnsweredThenTheDeadlineCountsFromTheClose(long secondsLater) {
		this.phaseTimeouts.preStopHookCalled().run();
		Drain drain = drain(DrainTrigger.PRE_STOP_HOOK);
		elapse(Duration.ofSeconds(secondsLater));
		long closed = this.nanoTime.get();

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(closed);
		assertThat(this.phaseTimeouts.timeLeft()).isEqualTo(this.budget.phaseTimeoutLeft(0));
	}

	@Test
	void whenACallByHandComesWhileThePlatformsCallWaitsThenTheDeadlineCountsFromThePlatformsCall() {
		Drain drain = drain(DrainTrigger.ENDPOINT);
		long platformCalled = this.nanoTime.get();
		Runnable platformsCallAnswered = this.phaseTimeouts.preStopHookCalled();
		elapse(Duration.ofSeconds(3));
		this.phaseTimeouts.preStopHookCalled().run();
		elapse(Duration.ofSeconds(7));
		platformsCallAnswered.run();

		assertThat(this.phaseTimeouts.shutdownStarted(drain)).isEqualTo(platformCalled);
	}

	@Test
	void withoutACallADrainStartedEarlierCountsItsDeadlineFromTheClose() {
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
