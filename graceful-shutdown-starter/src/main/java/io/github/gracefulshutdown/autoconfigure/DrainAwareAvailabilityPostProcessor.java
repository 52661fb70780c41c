package io.github.gracefulshutdown.autoconfigure;

import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.util.function.SingletonSupplier;

/**
 * Wraps the application's {@link ApplicationAvailability} bean in a
 * {@link DrainAwareAvailability}, so that readiness stays down once a drain has started.
 */
class DrainAwareAvailabilityPostProcessor implements BeanPostProcessor {

	private final Supplier<@Nullable DrainCoordinator> coordinator;

	DrainAwareAvailabilityPostProcessor(ObjectProvider<DrainCoordinator> coordinator) {
		this.coordinator = SingletonSupplier.of(coordinator::getIfAvailable);
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof ApplicationAvailability availability && !(bean instanceof DrainAwareAvailability)) {
			return new DrainAwareAvailability(availability, this::isDraining);
		}
		return bean;
	}

	private boolean isDraining() {
		DrainCoordinator coordinator = this.coordinator.get();
		return coordinator != null && coordinator.isDraining();
	}

}
