package io.github.gracefulshutdown.autoconfigure;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.availability.ApplicationAvailability;

/**
 * Wraps the application's {@link ApplicationAvailability} bean in a
 * {@link DrainAwareAvailability}, so that readiness stays down once a drain has started.
 */
class DrainAwareAvailabilityPostProcessor implements BeanPostProcessor {

	private final ObjectProvider<DrainCoordinator> coordinator;

	private volatile @Nullable DrainCoordinator resolved;

	DrainAwareAvailabilityPostProcessor(ObjectProvider<DrainCoordinator> coordinator) {
		this.coordinator = coordinator;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ApplicationAvailability availability && !(bean instanceof DrainAwareAvailability)) {
			return new DrainAwareAvailability(availability, this::isDraining);
		}
		return bean;
	}

	private boolean isDraining() {
		DrainCoordinator coordinator = this.resolved;
		if (coordinator == null) {
			coordinator = this.coordinator.getIfAvailable();
			this.resolved = coordinator;
		}
		return coordinator != null && coordinator.isDraining();
	}

}
