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
 * Tells the application that it is out of service as soon as the drain starts: publishes
 * readiness {@link ReadinessState#REFUSING_TRAFFIC}, unless it already was the last state
 * published, while liveness stays as it is. Runs before every other
 * {@link DrainListener}. Readiness probes see the change even earlier, from the moment
 * the drain starts, through {@link DrainAwareAvailability}.
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
		AvailabilityChangeEvent<ReadinessState> last = (current != null)
				? current.getLastChangeEvent(ReadinessState.class) : null;
		if (last == null || last.getState() != ReadinessState.REFUSING_TRAFFIC) {
			AvailabilityChangeEvent.publish(this.publisher, drain, ReadinessState.REFUSING_TRAFFIC);
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
