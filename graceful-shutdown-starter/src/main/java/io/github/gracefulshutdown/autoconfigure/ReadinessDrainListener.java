package io.github.gracefulshutdown.autoconfigure;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.Ordered;

/**
 * Takes the application out of service as soon as the drain starts: readiness becomes
 * {@link ReadinessState#REFUSING_TRAFFIC} while liveness stays as it is. Runs before
 * every other {@link DrainListener}.
 */
class ReadinessDrainListener implements DrainListener, Ordered {

	private final ApplicationEventPublisher publisher;

	private final ObjectProvider<ApplicationAvailability> availability;

	ReadinessDrainListener(ApplicationEventPublisher publisher, ObjectProvider<ApplicationAvailability> availability) {
		this.publisher = publisher;
		this.availability = availability;
	}

	@Override
	public void drainStarted(Drain drain) {
		ApplicationAvailability current = this.availability.getIfAvailable();
		if (current == null || current.getReadinessState() != ReadinessState.REFUSING_TRAFFIC) {
			AvailabilityChangeEvent.publish(this.publisher, drain, ReadinessState.REFUSING_TRAFFIC);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
