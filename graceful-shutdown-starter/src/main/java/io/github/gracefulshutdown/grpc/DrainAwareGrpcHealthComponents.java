package io.github.gracefulshutdown.grpc;

import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.grpc.server.health.HealthCheckedGrpcComponent;
import org.springframework.boot.grpc.server.health.HealthCheckedGrpcComponents;
import org.springframework.boot.grpc.server.health.StatusAggregator;
import org.springframework.boot.grpc.server.health.StatusMapper;

/**
 * Keeps Spring Boot 4.1's scheduled gRPC health updates to the drain. Spring Boot writes
 * the health of the whole server ({@code ""}) and of the services it is told about from
 * the application's health every few seconds, until the context closes, so during the
 * propagation window too, and would write {@code SERVING} again where readiness is not
 * one of the health indicators. Once the drain has started, the whole server and the
 * readiness service map to {@code NOT_SERVING} whatever the application's health says, as
 * {@link GrpcHealthAvailability} set them; the other services keep Spring Boot's mapping.
 */
final class DrainAwareGrpcHealthComponents implements HealthCheckedGrpcComponents {

	private final HealthCheckedGrpcComponents components;

	private final BooleanSupplier draining;

	private final Supplier<String> readinessService;

	/**
	 * Wraps Spring Boot's components.
	 * @param components the components Spring Boot reports the health of
	 * @param draining whether the drain has started
	 * @param readinessService supplies the name of the service that follows readiness
	 */
	DrainAwareGrpcHealthComponents(HealthCheckedGrpcComponents components, BooleanSupplier draining,
			Supplier<String> readinessService) {
		this.components = components;
		this.draining = draining;
		this.readinessService = readinessService;
	}

	@Override
	public @Nullable HealthCheckedGrpcComponent getServer() {
		HealthCheckedGrpcComponent server = this.components.getServer();
		return (server != null) ? new NotServingWhileDraining(server) : null;
	}

	@Override
	public Set<String> getServiceNames() {
		return this.components.getServiceNames();
	}

	@Override
	public @Nullable HealthCheckedGrpcComponent getService(String serviceName) {
		HealthCheckedGrpcComponent service = this.components.getService(serviceName);
		if (service != null && serviceName.equals(this.readinessService.get())) {
			return new NotServingWhileDraining(service);
		}
		return service;
	}

	/**
	 * A component whose health maps to {@code NOT_SERVING} once the drain has started.
	 */
	private final class NotServingWhileDraining implements HealthCheckedGrpcComponent {

		private final HealthCheckedGrpcComponent component;

		NotServingWhileDraining(HealthCheckedGrpcComponent component) {
			this.component = component;
		}

		@Override
		public boolean isMember(String healthContributorName) {
			return this.component.isMember(healthContributorName);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.component.getStatusAggregator();
		}

		@Override
		public StatusMapper getStatusMapper() {
			StatusMapper mapper = this.component.getStatusMapper();
			return (status) -> DrainAwareGrpcHealthComponents.this.draining.getAsBoolean() ? ServingStatus.NOT_SERVING
					: mapper.getServingStatus(status);
		}

	}

}
