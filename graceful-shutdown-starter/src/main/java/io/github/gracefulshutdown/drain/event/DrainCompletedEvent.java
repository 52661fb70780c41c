package io.github.gracefulshutdown.drain.event;

import io.github.gracefulshutdown.drain.Drain;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the drain has finished, just before the application stops.
 */
public class DrainCompletedEvent extends ApplicationEvent {

	/**
	 * Creates an event for the given drain.
	 * @param drain the drain
	 */
	public DrainCompletedEvent(Drain drain) {
		super(drain);
	}

	/**
	 * Returns the drain this event is about.
	 * @return the drain
	 */
	public Drain getDrain() {
		return (Drain) getSource();
	}

}
