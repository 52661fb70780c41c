package io.github.gracefulshutdown.web;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.core.Ordered;

/**
 * Ends the server-sent event streams of a web stack when the application context closes,
 * after the propagation window (and the WebSocket sessions), before the web server's
 * graceful phase, which would otherwise wait for them until it times out. The streams are
 * ended on a thread of its own, without holding the close: ending a stream can block
 * (Jetty completes it on the calling thread, behind a write to a client that has stopped
 * reading), and the graceful phase waits for the streams as for any request in flight.
 */
public class StreamingResponseDrainTrigger implements ApplicationListener<ContextClosedEvent>, Ordered {

	/**
	 * Runs after the listeners that hold the close for the propagation window and close
	 * the WebSocket sessions.
	 */
	static final int ORDER = Ordered.HIGHEST_PRECEDENCE + 20;

	private static final Log logger = LogFactory.getLog(StreamingResponseDrainTrigger.class);

	private final ApplicationContext context;

	private final DrainCoordinator coordinator;

	private final Runnable endStreams;

	/**
	 * Creates a trigger.
	 * @param context the application context whose close ends the streams
	 * @param coordinator the drain, which must be running
	 * @param endStreams ends every event stream still open
	 */
	public StreamingResponseDrainTrigger(ApplicationContext context, DrainCoordinator coordinator,
			Runnable endStreams) {
		this.context = context;
		this.coordinator = coordinator;
		this.endStreams = endStreams;
	}

	@Override
	public void onApplicationEvent(ContextClosedEvent event) {
		if (event.getApplicationContext() == this.context && this.coordinator.isDraining()) {
			this.coordinator.beginPhase(DrainPhase.CONNECTION_DRAIN);
			Thread thread = new Thread(this::endStreams, "graceful-shutdown-streams");
			thread.setDaemon(true);
			thread.start();
		}
	}

	private void endStreams() {
		try {
			this.endStreams.run();
		}
		catch (RuntimeException ex) {
			logger.warn("Ending the event streams failed; those still open are awaited as requests in flight", ex);
		}
	}

	/**
	 * Runs on the closing thread even when the application's event multicaster has an
	 * executor: the connection drain begins before the web server's graceful phase.
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
