package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Starts (or joins) the drain when the application context begins to close, and holds the
 * close until the propagation window has ended. Runs before every other listener of the
 * close, so the web server, the management server and the meter registries are still up
 * during the window.
 */
class ContextClosedDrainTrigger implements ApplicationListener<ContextClosedEvent>, Ordered {

	private static final Log logger = LogFactory.getLog(ContextClosedDrainTrigger.class);

	private static final Duration WINDOW_END_ALLOWANCE = Duration.ofSeconds(1);

	private final ApplicationContext context;

	private final DrainCoordinator coordinator;

	ContextClosedDrainTrigger(ApplicationContext context, DrainCoordinator coordinator) {
		this.context = context;
		this.coordinator = coordinator;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context) {
			return;
		}
		Drain drain = this.coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		Duration longestWait = this.coordinator.window().maxLength().plus(WINDOW_END_ALLOWANCE);
		try {
			if (!drain.awaitWindowEnd(longestWait)) {
				logger.warn("Propagation window still open after " + Durations.format(longestWait)
						+ "; closing the application anyway");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.warn("Interrupted while waiting for the propagation window; closing the application now");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
