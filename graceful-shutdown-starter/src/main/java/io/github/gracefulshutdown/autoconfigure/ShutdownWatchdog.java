package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntConsumer;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.Durations;
import io.github.gracefulshutdown.drain.ThreadStack;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends the process before the platform kills it. Armed when a stop of the process starts
 * to close the context, it waits on a daemon thread of its own until shortly before the
 * termination grace period ends (half the safety margin before it). If the JVM is still
 * running then, because a lifecycle phase, a bean's destruction or another shutdown hook
 * hangs, it logs where the close is stuck, completes the drain so that its report is
 * written (its listeners get a quarter of the safety margin), stops the logging system so
 * that asynchronous appenders write what they still hold (within an eighth), and halts
 * the JVM with the status a JVM stopped by SIGTERM has. Its own log calls can block as
 * well (an asynchronous appender's full queue, a console that nobody reads), so a second
 * thread halts the JVM when these steps have had their time. A JVM that exits in time
 * ends the threads with it.
 */
class ShutdownWatchdog {

	/**
	 * The exit status of a JVM stopped by SIGTERM: 128 + 15.
	 */
	static final int EXIT_STATUS = 143;

	private static final Log logger = LogFactory.getLog(ShutdownWatchdog.class);

	private final DrainCoordinator coordinator;

	private final Duration hardStop;

	private final Duration reportTimeout;

	private final Runnable stopLogging;

	private final Duration stopLoggingTimeout;

	private final IntConsumer halt;

	private final AtomicBoolean halted = new AtomicBoolean();

	/**
	 * Creates a watchdog.
	 * @param coordinator the application's drain
	 * @param budget the budget the shutdown must fit in
	 * @param stopLogging stops the logging system, writing what its appenders still hold
	 * @param halt ends the JVM with the given status
	 */
	ShutdownWatchdog(DrainCoordinator coordinator, DrainBudget budget, Runnable stopLogging, IntConsumer halt) {
		this.coordinator = coordinator;
		this.hardStop = budget.terminationGracePeriod().minus(budget.safetyMargin().dividedBy(2));
		this.reportTimeout = budget.safetyMargin().dividedBy(4);
		this.stopLogging = stopLogging;
		this.stopLoggingTimeout = budget.safetyMargin().dividedBy(8);
		this.halt = halt;
	}

	/**
	 * Returns how long after the start of the shutdown the watchdog ends the process.
	 * @return the time from the start of the shutdown to the hard stop
	 */
	Duration hardStop() {
		return this.hardStop;
	}

	/**
	 * Starts watching the shutdown of the process.
	 * @param shutdownStartNanos when the shutdown began, a reading of
	 * {@link System#nanoTime()}
	 * @param closingThread the thread that closes the context
	 */
	void arm(long shutdownStartNanos, Thread closingThread) {
		Thread thread = new Thread(() -> watch(shutdownStartNanos, closingThread), "graceful-shutdown-watchdog");
		thread.setDaemon(true);
		thread.start();
	}

	private void watch(long shutdownStartNanos, Thread closingThread) {
		try {
			long remaining = this.hardStop.toNanos() - (System.nanoTime() - shutdownStartNanos);
			if (remaining > 0) {
				TimeUnit.NANOSECONDS.sleep(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return;
		}
		haltAfter(this.reportTimeout.plus(this.stopLoggingTimeout));
		logger.warn("Shutdown still running " + Durations.format(this.hardStop)
				+ " after it began, close to the end of graceful-shutdown.termination-grace-period: "
				+ "ending the process now, before it is killed. The close is stuck at:"
				+ ThreadStack.of(closingThread));
		try {
			this.coordinator.completeDrain(this.reportTimeout);
		}
		finally {
			stopLogging();
			halt();
		}
	}

	/**
	 * Halts the JVM after the given time, whatever the watchdog's own thread is doing
	 * then.
	 */
	private void haltAfter(Duration delay) {
		Thread thread = new Thread(() -> {
			try {
				TimeUnit.NANOSECONDS.sleep(delay.toNanos());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			halt();
		}, "graceful-shutdown-halt");
		thread.setDaemon(true);
		thread.start();
	}

	private void halt() {
		if (this.halted.compareAndSet(false, true)) {
			this.halt.accept(EXIT_STATUS);
		}
	}

	/**
	 * Stops the logging system on a thread of its own, waiting for it no longer than its
	 * timeout: an appender that cannot write (a full disk, a log server that does not
	 * answer) must not keep the JVM from halting.
	 */
	private void stopLogging() {
		Thread thread = new Thread(this.stopLogging, "graceful-shutdown-logging");
		thread.setDaemon(true);
		thread.start();
		try {
			TimeUnit.NANOSECONDS.timedJoin(thread, this.stopLoggingTimeout.toNanos());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
