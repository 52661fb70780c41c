package io.github.gracefulshutdown.grpc;

import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.grpc.server.health.HealthCheckedGrpcComponents;
import org.springframework.util.function.SingletonSupplier;

/**
 * Wraps Spring Boot 4.1's {@link HealthCheckedGrpcComponents} bean in a
 * {@link DrainAwareGrpcHealthComponents}, so that its scheduled gRPC health updates keep
 * the whole server and the readiness service {@code NOT_SERVING} once a drain has
 * started. The coordinator and the properties are looked up when Spring Boot first
 * updates the health, not when this post-processor is created.
 */
class DrainAwareGrpcHealthPostProcessor implements BeanPostProcessor {

	private final Supplier<@Nullable DrainCoordinator> coordinator;

	private final ObjectProvider<GrpcDrainProperties> properties;

	DrainAwareGrpcHealthPostProcessor(ObjectProvider<DrainCoordinator> coordinator,
			ObjectProvider<GrpcDrainProperties> properties) {
		this.coordinator = SingletonSupplier.of(coordinator::getIfAvailable);
		this.properties = properties;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof HealthCheckedGrpcComponents components
				&& !(bean instanceof DrainAwareGrpcHealthComponents)) {
			return new DrainAwareGrpcHealthComponents(components, this::isDraining, this::readinessService);
		}
		return bean;
	}

	private boolean isDraining() {
		DrainCoordinator coordinator = this.coordinator.get();
		return coordinator != null && coordinator.isDraining();
	}

	private String readinessService() {
		return this.properties.getObject().getReadinessServiceName();
	}

}
