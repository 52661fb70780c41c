package io.github.gracefulshutdown.drain;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.test.ReleasableWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DrainCoordinator}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainCoordinatorTests {

	private final List<String> calls = new CopyOnWriteArrayList<>();

	@Test
	void whenFirstTriggerArrivesThenDrainStartsAndListenersHearOfIt() {
		DrainCoordinator coordinator = coordinator(new FixedPropagationWindow(Duration.ZERO), recorder("a"));
		assertThat(coordinator.state()).isEqualTo(DrainState.SERVING);
		assertThat(coordinator.isDraining()).isFalse();

		Drain drain = coordinator.startDrain(DrainTrigger.APPLICATION);

		assertThat(drain.trigger()).isEqualTo(DrainTrigger.APPLICATION);
		assertThat(coordinator.isDraining()).isTrue();
		assertThat(coordinator.state()).isEqualTo(DrainState.DRAINING);
		assertThat(coordinator.drain()).containsSame(drain);
		assertThat(this.calls).containsExactly("a:started", "a:windowEnded");
	}

	@Test
	void whenSecondTriggerArrivesThenItJoinsTheRunningDrain() {
		ReleasableWindow window = new ReleasableWindow();
		DrainCoordinator coordinator = coordinator(window, recorder("a"));

		Drain first = coordinator.startDrain(DrainTrigger.PRE_STOP_HOOK);
		Drain second = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);

		assertThat(second).isSameAs(first);
		assertThat(second.trigger()).isEqualTo(DrainTrigger.PRE_STOP_HOOK);
		window.release();
		await().until(first::isWindowEnded);
		assertThat(window.awaits()).isEqualTo(1);
		assertThat(this.calls).containsExactly("a:started", "a:windowEnded");
	}

	@Test
	void whenWindowRunsThenTriggerReturnsAtOnceAndWindowEndsOnItsOwnThread() throws InterruptedException {
		ReleasableWindow window = new ReleasableWindow();
		DrainCoordinator coordinator = coordinator(window, recorder("a"));

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);

		assertThat(drain.isWindowEnded()).isFalse();
		assertThat(drain.currentPhase()).isEqualTo(DrainPhase.PROPAGATION_WINDOW);
		assertThat(drain.awaitWindowEnd(Duration.ofMillis(50))).isFalse();
		window.release();
		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(10))).isTrue();
		assertThat(window.threadName()).isEqualTo("graceful-shutdown-window");
		assertThat(drain.currentPhase()).isNull();
		PhaseTiming timing = drain.timing(DrainPhase.PROPAGATION_WINDOW);
		assertThat(timing).isNotNull();
		assertThat(timing.endedAt()).isNotNull();
	}

	@Test
	void whenFixedWindowRunsThenItLastsAtLeastItsDelay() throws InterruptedException {
		DrainCoordinator coordinator = coordinator(new FixedPropagationWindow(Duration.ofMillis(300)));
		long start = System.nanoTime();

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(10))).isTrue();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		PhaseTiming timing = drain.timing(DrainPhase.PROPAGATION_WINDOW);
		assertThat(timing.duration(drain.now())).isGreaterThanOrEqualTo(Duration.ofMillis(300));
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FIXED);
		assertThat(drain.windowExtension()).isZero();
	}

	@Test
	void whenRequestsArrivePastTheFloorThenTheDrainRecordsWhyAndHowFarTheWindowWasExtended()
			throws InterruptedException {
		RequestActivity activity = new RequestActivity();
		DrainCoordinator coordinator = coordinator(new ExtendingPropagationWindow(Duration.ofMillis(200),
				Duration.ofMillis(300), Duration.ofSeconds(10), activity));

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		activity.requestReceived(true);
		assertThat(drain.windowEndReason()).isNull();
		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(10))).isTrue();

		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.QUIET);
		assertThat(drain.windowExtension()).isGreaterThanOrEqualTo(Duration.ofMillis(100))
			.isLessThan(Duration.ofSeconds(5));
	}

	@Test
	void whenListenerThrowsThenOtherListenersAndTheDrainGoOn() {
		DrainListener failing = new DrainListener() {

			@Override
			public void drainStarted(Drain drain) {
				throw new IllegalStateException("boom");
			}

			@Override
			public void windowEnded(Drain drain) {
				throw new IllegalStateException("boom");
			}

		};
		DrainCoordinator coordinator = coordinator(new FixedPropagationWindow(Duration.ZERO), failing, recorder("b"));

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);

		assertThat(drain.isWindowEnded()).isTrue();
		assertThat(this.calls).containsExactly("b:started", "b:windowEnded");
	}

	@Test
	void whenTheListenersCannotBeHadThenTheWindowStillRunsAndTheDrainCompletes() throws InterruptedException {
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ofMillis(50)), () -> {
			throw new IllegalStateException("a lazy listener bean failed to be created");
		}, Clock.systemUTC());

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);

		assertThat(drain.awaitWindowEnd(Duration.ofSeconds(10))).isTrue();
		coordinator.completeDrain();
		assertThat(coordinator.state()).isEqualTo(DrainState.DRAINED);
	}

	/**
	 * Creating the listeners may create lazy beans: one whose creation hangs (a client
	 * that connects in its constructor) must not hold the drain.
	 */
	@Test
	void whenCreatingTheListenersHangsThenTheDrainGoesOnWithoutThem(CapturedOutput output) {
		CountDownLatch created = new CountDownLatch(1);
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), () -> {
			awaitQuietly(created);
			return List.of(recorder("late"));
		}, Clock.systemUTC(), Duration.ofSeconds(1));

		Drain drain = assertTimeoutPreemptively(Duration.ofSeconds(30),
				() -> coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE));

		assertThat(drain.isWindowEnded()).isTrue();
		assertThat(output).contains("The drain's listeners were still being created when the drain had to go on")
			.contains("awaitQuietly");
		created.countDown();
		coordinator.completeDrain(Duration.ofSeconds(30));
		assertThat(coordinator.state()).isEqualTo(DrainState.DRAINED);
		assertThat(this.calls).isEmpty();
	}

	/**
	 * Creating the listeners may take as long as the window: the application serves
	 * meanwhile, and they still hear of the start of the drain before the window runs.
	 */
	@Test
	void listenersSlowerToCreateThanTheListenerTimeoutStillHearOfTheStartWithinTheWindow() throws Exception {
		CountDownLatch creating = new CountDownLatch(1);
		CountDownLatch created = new CountDownLatch(1);
		ReleasableWindow window = new ReleasableWindow();
		DrainCoordinator coordinator = new DrainCoordinator(window, () -> {
			creating.countDown();
			awaitQuietly(created);
			return List.of(recorder("slow"));
		}, Clock.systemUTC(), Duration.ofMillis(100));
		CompletableFuture<Drain> started = CompletableFuture
			.supplyAsync(() -> coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE));
		assertThat(creating.await(30, TimeUnit.SECONDS)).isTrue();
		await().during(Duration.ofMillis(300)).until(() -> !started.isDone());

		created.countDown();

		Drain drain = started.get(30, TimeUnit.SECONDS);
		assertThat(this.calls).containsExactly("slow:started");
		window.release();
		await().until(drain::isWindowEnded);
		assertThat(this.calls).containsExactly("slow:started", "slow:windowEnded");
	}

	@Test
	void whenWindowThrowsThenItEndsOnceItHasLastedItsShortestLengthAndListenersHearOfIt() {
		Duration shortest = Duration.ofMillis(800);
		PropagationWindow failing = new PropagationWindow() {

			@Override
			public WindowEndReason await(Drain drain) {
				throw new IllegalStateException("boom");
			}

			@Override
			public Duration minLength() {
				return shortest;
			}

			@Override
			public Duration maxLength() {
				return Duration.ofSeconds(5);
			}

		};
		DrainCoordinator coordinator = coordinator(failing, recorder("a"));

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);

		await().until(drain::isWindowEnded);
		assertThat(this.calls).containsExactly("a:started", "a:windowEnded");
		assertThat(drain.windowEndReason()).isEqualTo(WindowEndReason.FAILED);
		assertThat(Duration.between(drain.startedAt(), drain.timeline().get(0).endedAt()))
			.isGreaterThanOrEqualTo(shortest);
	}

	@Test
	void whenAListenerThrowsAnErrorThenTheOtherListenersAndTheDrainGoOn() {
		DrainListener failing = new DrainListener() {

			@Override
			public void drainStarted(Drain drain) {
				throw new AssertionError("boom");
			}

			@Override
			public void drainCompleted(Drain drain) {
				throw new OutOfMemoryError("boom");
			}

		};
		DrainCoordinator coordinator = coordinator(new FixedPropagationWindow(Duration.ZERO), failing, recorder("b"));

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		coordinator.completeDrain();

		assertThat(drain.isCompleted()).isTrue();
		assertThat(this.calls).containsExactly("b:started", "b:windowEnded", "b:completed");
	}

	@Test
	void whenAListenerBlocksThenTheTriggerReturnsAfterTheListenerTimeoutAndTheOthersAreStillCalledInOrder() {
		CountDownLatch never = new CountDownLatch(1);
		DrainListener blocking = new DrainListener() {

			@Override
			public void drainStarted(Drain drain) {
				awaitQuietly(never);
			}

			@Override
			public void windowEnded(Drain drain) {
				awaitQuietly(never);
			}

		};
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO),
				() -> List.of(recorder("a"), blocking, recorder("b"), recorder("c")), Clock.systemUTC(),
				Duration.ofMillis(200));

		Drain drain = assertTimeoutPreemptively(Duration.ofSeconds(10),
				() -> coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE));

		assertThat(drain.isWindowEnded()).isTrue();
		await().until(() -> this.calls.size() == 6);
		// Each milestone calls its listeners in order; the listeners after the blocked
		// one run on a thread of their own, alongside the next milestone
		assertThat(this.calls).containsSubsequence("a:started", "b:started", "c:started")
			.containsSubsequence("a:windowEnded", "b:windowEnded", "c:windowEnded");
		never.countDown();
	}

	@Test
	void whenAWindowListenerBlocksThenTheWindowStillEndsForEveryWaiterByTheSameDeadline() throws Exception {
		CountDownLatch never = new CountDownLatch(1);
		DrainListener blocking = new DrainListener() {

			@Override
			public void windowEnded(Drain drain) {
				awaitQuietly(never);
			}

		};
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ofMillis(300)),
				() -> List.of(blocking, recorder("a")), Clock.systemUTC(), Duration.ofMillis(200));
		Drain drain = coordinator.startDrain(DrainTrigger.PRE_STOP_HOOK);
		Drain joined = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);

		assertThat(drain.awaitWindowEnd()).isTrue();
		assertThat(joined.awaitWindowEnd()).isTrue();

		await().until(() -> this.calls.contains("a:windowEnded"));
		never.countDown();
	}

	@Test
	void theLatestEndOfTheWindowLeavesTheListenersTheirTimeAfterTheWindowAndAfterTheStart() {
		Duration listeners = Duration.ofSeconds(1);
		assertThat(DrainCoordinator.longestWindowEnd(Duration.ofSeconds(10), listeners))
			.isEqualTo(Duration.ofSeconds(11));
		assertThat(DrainCoordinator.longestWindowEnd(Duration.ZERO, listeners)).isEqualTo(Duration.ofSeconds(2));
		assertThat(DrainCoordinator.longestWindowEnd(Duration.ofMillis(500), listeners))
			.isEqualTo(Duration.ofSeconds(2));
	}

	@Test
	void phasesOnlyMoveForwardAndCompletionHappensOnce() {
		DrainCoordinator coordinator = coordinator(new FixedPropagationWindow(Duration.ZERO), recorder("a"));
		coordinator.beginPhase(DrainPhase.IN_FLIGHT_DRAIN);
		coordinator.completeDrain();
		assertThat(coordinator.drain()).isEmpty();

		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		coordinator.beginPhase(DrainPhase.IN_FLIGHT_DRAIN);
		coordinator.beginPhase(DrainPhase.PROPAGATION_WINDOW);
		assertThat(drain.currentPhase()).isEqualTo(DrainPhase.IN_FLIGHT_DRAIN);

		coordinator.completeDrain();
		coordinator.completeDrain();

		assertThat(coordinator.state()).isEqualTo(DrainState.DRAINED);
		assertThat(drain.isCompleted()).isTrue();
		assertThat(drain.currentPhase()).isNull();
		assertThat(drain.timeline()).extracting(PhaseTiming::phase)
			.containsExactly(DrainPhase.PROPAGATION_WINDOW, DrainPhase.IN_FLIGHT_DRAIN);
		assertThat(drain.timeline()).allSatisfy((timing) -> assertThat(timing.endedAt()).isNotNull());
		assertThat(this.calls).containsExactly("a:started", "a:windowEnded", "a:completed");
	}

	@Test
	void listenersAreResolvedOnceWhenFirstNeeded() {
		int[] lookups = { 0 };
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), () -> {
			lookups[0]++;
			return List.of(recorder("a"));
		}, Clock.systemUTC());
		assertThat(lookups[0]).isZero();

		coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		coordinator.completeDrain();

		assertThat(lookups[0]).isOne();
		assertThat(this.calls).containsExactly("a:started", "a:windowEnded", "a:completed");
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private DrainCoordinator coordinator(PropagationWindow window, DrainListener... listeners) {
		return new DrainCoordinator(window, () -> List.of(listeners), Clock.systemUTC());
	}

	private DrainListener recorder(String name) {
		return new DrainListener() {

			@Override
			public void drainStarted(Drain drain) {
				DrainCoordinatorTests.this.calls.add(name + ":started");
			}

			@Override
			public void windowEnded(Drain drain) {
				DrainCoordinatorTests.this.calls.add(name + ":windowEnded");
			}

			@Override
			public void drainCompleted(Drain drain) {
				DrainCoordinatorTests.this.calls.add(name + ":completed");
			}

		};
	}

}
