package io.github.gracefulshutdown.autoconfigure;

import java.util.function.BooleanSupplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;

/**
 * The application's {@link ApplicationAvailability}, with readiness held down once a
 * drain has started: from then on readiness is {@link ReadinessState#REFUSING_TRAFFIC}
 * until the process exits, whatever publishes what. Spring Boot itself publishes
 * {@link ReadinessState#ACCEPTING_TRAFFIC} when the application runners have finished,
 * which can happen in the middle of a drain that started during startup; without this
 * guard the readiness probe would answer 200 again and load balancers would send new
 * traffic to a closing instance. Events are still recorded by the wrapped bean, so
 * {@link #getLastChangeEvent(Class)} tells what was published.
 * <p>
 * It extends {@link ApplicationAvailabilityBean}, the class of Spring Boot's bean, so
 * that code that injects the bean by that class still finds it; every method delegates to
 * the wrapped availability, and the inherited state stays unused.
 */
class DrainAwareAvailability extends ApplicationAvailabilityBean {

	private static final Log logger = LogFactory.getLog(DrainAwareAvailability.class);

	private final ApplicationAvailability availability;

	private final BooleanSupplier draining;

	/**
	 * Wraps the application's availability.
	 * @param availability the availability bean that records the events
	 * @param draining tells whether a drain has started
	 */
	DrainAwareAvailability(ApplicationAvailability availability, BooleanSupplier draining) {
		this.availability = availability;
		this.draining = draining;
	}

	@Override
	public <S extends AvailabilityState> S getState(Class<S> stateType, S defaultState) {
		S held = heldState(stateType);
		return (held != null) ? held : this.availability.getState(stateType, defaultState);
	}

	@Override
	public <S extends AvailabilityState> @Nullable S getState(Class<S> stateType) {
		S held = heldState(stateType);
		return (held != null) ? held : this.availability.getState(stateType);
	}

	@Override
	public <S extends AvailabilityState> @Nullable AvailabilityChangeEvent<S> getLastChangeEvent(Class<S> stateType) {
		return this.availability.getLastChangeEvent(stateType);
	}

	@Override
	@SuppressWarnings({ "unchecked", "rawtypes" })
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getState() == ReadinessState.ACCEPTING_TRAFFIC && this.draining.getAsBoolean()) {
			logger.info("Readiness stays " + ReadinessState.REFUSING_TRAFFIC + ": "
					+ event.getSource().getClass().getSimpleName() + " published " + ReadinessState.ACCEPTING_TRAFFIC
					+ " while the application drains");
		}
		if (this.availability instanceof ApplicationListener listener) {
			listener.onApplicationEvent(event);
		}
	}

	@SuppressWarnings("unchecked")
	private <S extends AvailabilityState> @Nullable S heldState(Class<S> stateType) {
		if (stateType == ReadinessState.class && this.draining.getAsBoolean()) {
			return (S) ReadinessState.REFUSING_TRAFFIC;
		}
		return null;
	}

}
