package io.github.gracefulshutdown.autoconfigure;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.Durations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Drains the application when its context begins to close because the process is being
 * stopped, or joins a drain that a trigger already started, and holds the close until the
 * propagation window has ended. Runs before every other listener of the close, so the web
 * server, the management server and the meter registries are still up during the window.
 * Other closes (test contexts, devtools restarts, application code) close at once, unless
 * {@code graceful-shutdown.drain-on-any-close} is set. On a stop of the process it also
 * arms the {@link ShutdownWatchdog} and fits the lifecycle phases that follow into what
 * is left of the shutdown's deadline.
 */
class ContextClosedDrainTrigger implements ApplicationListener<ContextClosedEvent>, Ordered {

	private static final Log logger = LogFactory.getLog(ContextClosedDrainTrigger.class);

	private final ConfigurableApplicationContext context;

	private final DrainCoordinator coordinator;

	private final boolean drainOnAnyClose;

	private final ShutdownWatchdog watchdog;

	private final ShutdownPhaseTimeouts phaseTimeouts;

	ContextClosedDrainTrigger(ConfigurableApplicationContext context, DrainCoordinator coordinator,
			boolean drainOnAnyClose, ShutdownWatchdog watchdog, ShutdownPhaseTimeouts phaseTimeouts) {
		this.context = context;
		this.coordinator = coordinator;
		this.drainOnAnyClose = drainOnAnyClose;
		this.watchdog = watchdog;
		this.phaseTimeouts = phaseTimeouts;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context) {
			return;
		}
		CloseCause cause = CloseCause.of(this.context.getEnvironment());
		if (cause != CloseCause.PROCESS_STOP && !this.coordinator.isDraining() && !this.drainOnAnyClose) {
			logger.debug("Closing without a drain: the close (" + cause + ") is not a stop of the process");
			return;
		}
		Drain drain = this.coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		long shutdownStart = this.phaseTimeouts.shutdownStarted(drain);
		if (cause == CloseCause.PROCESS_STOP) {
			this.watchdog.arm(shutdownStart, Thread.currentThread());
		}
		try {
			if (!drain.awaitWindowEnd()) {
				logger.warn("Propagation window still open " + Durations.format(this.coordinator.longestWindowEnd())
						+ " after the drain started; closing the application anyway");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.warn("Interrupted while waiting for the propagation window; closing the application now");
		}
		this.phaseTimeouts.fitToDeadline();
	}

	/**
	 * Runs on the closing thread even when the application's event multicaster has an
	 * executor: the close must wait for the window.
	 * @return {@code false}
	 */
	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
