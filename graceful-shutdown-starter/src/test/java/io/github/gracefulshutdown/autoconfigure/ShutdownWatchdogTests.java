package io.github.gracefulshutdown.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

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

	private final Logger watchdogLogger = (Logger) LoggerFactory.getLogger(ShutdownWatchdog.class);

	private final AppenderBase<ILoggingEvent> stuckAppender = new AppenderBase<>() {

		@Override
		protected void append(ILoggingEvent event) {
			loggingNeverStops();
		}

	};

	@AfterEach
	void releaseLogging() {
		this.watchdogLogger.detachAppender(this.stuckAppender);
		this.stuckAppender.stop();
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

	@Test
	void aLogCallThatBlocksDoesNotKeepTheJvmFromHalting() throws Exception {
		this.stuckAppender.start();
		this.watchdogLogger.addAppender(this.stuckAppender);
		ShutdownWatchdog watchdog = new ShutdownWatchdog(this.coordinator, this.budget, () -> {
		}, this.halted::complete);

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
