package io.github.gracefulshutdown.drain.event;

import io.github.gracefulshutdown.drain.Drain;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the drain starts: readiness is down and the propagation window runs.
 * Published on the thread of the first trigger.
 */
public class DrainStartedEvent extends ApplicationEvent {

	/**
	 * Creates an event for the given drain.
	 * @param drain the drain
	 */
	public DrainStartedEvent(Drain drain) {
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
