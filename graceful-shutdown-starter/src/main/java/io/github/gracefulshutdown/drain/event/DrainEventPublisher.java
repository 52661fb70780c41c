package io.github.gracefulshutdown.drain.event;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;

import org.springframework.context.ApplicationEventPublisher;

/**
 * {@link DrainListener} that turns the milestones of a drain into Spring application
 * events.
 */
public class DrainEventPublisher implements DrainListener {

	private final ApplicationEventPublisher publisher;

	/**
	 * Creates a publisher.
	 * @param publisher where to publish the events
	 */
	public DrainEventPublisher(ApplicationEventPublisher publisher) {
		this.publisher = publisher;
	}

	@Override
	public void drainStarted(Drain drain) {
		this.publisher.publishEvent(new DrainStartedEvent(drain));
	}

	@Override
	public void windowEnded(Drain drain) {
		this.publisher.publishEvent(new DrainWindowEndedEvent(drain));
	}

	@Override
	public void drainCompleted(Drain drain) {
		this.publisher.publishEvent(new DrainCompletedEvent(drain));
	}

}
