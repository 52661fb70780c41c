package io.github.gracefulshutdown.websocket;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Closes the WebSocket sessions when the application context closes, right after the
 * propagation window has ended and before any lifecycle bean stops, so that the web
 * server and STOMP's message broker are still up. Blocks the close for at most the close
 * spread plus the close timeout.
 */
class WebSocketDrainTrigger implements ApplicationListener<ContextClosedEvent>, Ordered {

	/**
	 * Runs after the listener that starts the drain and holds the close for the
	 * propagation window, which has {@link Ordered#HIGHEST_PRECEDENCE}.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 10;

	private final ApplicationContext context;

	private final DrainCoordinator coordinator;

	private final WebSocketSessionDrain drain;

	WebSocketDrainTrigger(ApplicationContext context, DrainCoordinator coordinator, WebSocketSessionDrain drain) {
		this.context = context;
		this.coordinator = coordinator;
		this.drain = drain;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context || !this.coordinator.isDraining() || this.drain.isClosing()) {
			return;
		}
		this.coordinator.beginPhase(DrainPhase.CONNECTION_DRAIN);
		this.drain.closeAll();
	}

	/**
	 * Runs on the closing thread even when the application's event multicaster has an
	 * executor: the sessions must be closed before the web server stops.
	 * @return {@code false}
	 */
	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
