package io.github.gracefulshutdown.grpc;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainListener;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.protobuf.services.HealthStatusManager;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;

/**
 * Tells gRPC health ({@code grpc.health.v1}) what the application's availability says,
 * for Kubernetes' {@code grpc} probes and for clients that check health: the readiness
 * service and the overall service {@code ""} follow readiness, the liveness service
 * follows liveness. When the drain starts, the overall service and the readiness service
 * turn NOT_SERVING at once and stay so; the liveness service stays SERVING. The gRPC
 * server itself keeps serving through the propagation window.
 */
public class GrpcHealthAvailability implements ApplicationListener<AvailabilityChangeEvent<?>>, DrainListener, Ordered {

	private final HealthStatusManager health;

	private final DrainCoordinator coordinator;

	private final String readinessService;

	private final String livenessService;

	/**
	 * Creates the bridge.
	 * @param health the gRPC server's health statuses
	 * @param coordinator the application's drain
	 * @param readinessService the name of the service that follows readiness
	 * @param livenessService the name of the service that follows liveness
	 */
	public GrpcHealthAvailability(HealthStatusManager health, DrainCoordinator coordinator, String readinessService,
			String livenessService) {
		this.health = health;
		this.coordinator = coordinator;
		this.readinessService = readinessService;
		this.livenessService = livenessService;
	}

	@Override
	public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
		if (event.getState() instanceof ReadinessState readiness) {
			if (readiness == ReadinessState.ACCEPTING_TRAFFIC && !this.coordinator.isDraining()) {
				this.health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.SERVING);
				this.health.setStatus(this.readinessService, ServingStatus.SERVING);
				if (this.coordinator.isDraining()) {
					// A drain started meanwhile, and its listener may have run before the
					// writes above
					refuseTraffic();
				}
			}
			else {
				refuseTraffic();
			}
		}
		else if (event.getState() instanceof LivenessState liveness) {
			this.health.setStatus(this.livenessService,
					(liveness == LivenessState.CORRECT) ? ServingStatus.SERVING : ServingStatus.NOT_SERVING);
		}
	}

	@Override
	public void drainStarted(Drain drain) {
		refuseTraffic();
	}

	private void refuseTraffic() {
		this.health.setStatus(HealthStatusManager.SERVICE_NAME_ALL_SERVICES, ServingStatus.NOT_SERVING);
		this.health.setStatus(this.readinessService, ServingStatus.NOT_SERVING);
	}

	/**
	 * Runs on the publishing thread even when the application's event multicaster has an
	 * executor, so that health follows readiness changes in the order they happen.
	 * @return {@code false}
	 */
	@Override
	public boolean supportsAsyncExecution() {
		return false;
	}

	/**
	 * Among the first listeners of the drain's start, as readiness is.
	 */
	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 1;
	}

}
