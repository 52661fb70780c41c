package io.github.gracefulshutdown.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ShutdownWatchdog}, armed as if the shutdown began at its hard stop.
 */
class ShutdownWatchdogTests {

	private final DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO),
			List::of, Clock.systemUTC());

	private final DrainBudget budget = DrainBudget.plan(Duration.ofSeconds(30), Duration.ZERO, List.of(), null,
			Duration.ofSeconds(8));

	private final CompletableFuture<Integer> halted = new CompletableFuture<>();

	private final CountDownLatch loggingStuck = new CountDownLatch(1);

	@AfterEach
	void releaseLogging() {
		this.loggingStuck.countDown();
	}

	@Test
	void theLoggingSystemIsStoppedBeforeTheJvmIsHalted() throws Exception {
		AtomicBoolean loggingStopped = new AtomicBoolean();
		ShutdownWatchdog watchdog = new ShutdownWatchdog(this.coordinator, this.budget, () -> loggingStopped.set(true),
				(status) -> this.halted.complete(loggingStopped.get() ? status : -1));

		armAtTheHardStop(watchdog);

		assertThat(this.halted.get(30, TimeUnit.SECONDS)).isEqualTo(ShutdownWatchdog.EXIT_STATUS);
	}

	@Test
	void aLoggingSystemThatCannotStopDoesNotKeepTheJvmFromHalting() throws Exception {
		ShutdownWatchdog watchdog = new ShutdownWatchdog(this.coordinator, this.budget, this::loggingNeverStops,
				this.halted::complete);

		armAtTheHardStop(watchdog);

		assertThat(this.halted.get(30, TimeUnit.SECONDS)).isEqualTo(ShutdownWatchdog.EXIT_STATUS);
	}

	private void armAtTheHardStop(ShutdownWatchdog watchdog) {
		watchdog.arm(System.nanoTime() - watchdog.hardStop().toNanos(), Thread.currentThread());
	}

	private void loggingNeverStops() {
		try {
			this.loggingStuck.await(1, TimeUnit.MINUTES);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
