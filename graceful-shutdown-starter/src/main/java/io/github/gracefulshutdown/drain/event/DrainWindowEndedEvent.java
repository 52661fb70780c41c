package io.github.gracefulshutdown.drain.event;

import io.github.gracefulshutdown.drain.Drain;

import org.springframework.context.ApplicationEvent;

/**
 * Published when the propagation window ends: load balancers should no longer route to
 * the application. Stop schedulers, message consumers and other sources of work here.
 */
public class DrainWindowEndedEvent extends ApplicationEvent {

	/**
	 * Creates an event for the given drain.
	 * @param drain the drain
	 */
	public DrainWindowEndedEvent(Drain drain) {
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
