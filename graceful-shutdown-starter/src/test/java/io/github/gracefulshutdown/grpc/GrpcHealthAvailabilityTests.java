package io.github.gracefulshutdown.grpc;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.Test;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.AvailabilityState;
import org.springframework.boot.availability.ReadinessState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link GrpcHealthAvailability}, read through the gRPC health service itself.
 */
class GrpcHealthAvailabilityTests {

	private final HealthStatusManager health = new HealthStatusManager();

	private final DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO),
			List::of, Clock.systemUTC());

	private final GrpcHealthAvailability availability = new GrpcHealthAvailability(this.health, this.coordinator,
			"readiness", "liveness");

	@Test
	void whenReadinessComesBackOutsideADrainThenTheOverallServiceServesAgain() {
		publish(ReadinessState.ACCEPTING_TRAFFIC);
		publish(ReadinessState.REFUSING_TRAFFIC);
		assertThat(status(HealthStatusManager.SERVICE_NAME_ALL_SERVICES)).isEqualTo(ServingStatus.NOT_SERVING);
		assertThat(status("readiness")).isEqualTo(ServingStatus.NOT_SERVING);

		publish(ReadinessState.ACCEPTING_TRAFFIC);

		assertThat(status(HealthStatusManager.SERVICE_NAME_ALL_SERVICES)).isEqualTo(ServingStatus.SERVING);
		assertThat(status("readiness")).isEqualTo(ServingStatus.SERVING);
	}

	@Test
	void whenReadinessComesBackDuringADrainThenNeitherServesAgain() {
		publish(ReadinessState.ACCEPTING_TRAFFIC);
		this.availability.drainStarted(this.coordinator.startDrain(DrainTrigger.APPLICATION));

		publish(ReadinessState.ACCEPTING_TRAFFIC);

		assertThat(status(HealthStatusManager.SERVICE_NAME_ALL_SERVICES)).isEqualTo(ServingStatus.NOT_SERVING);
		assertThat(status("readiness")).isEqualTo(ServingStatus.NOT_SERVING);
	}

	private void publish(AvailabilityState state) {
		this.availability.onApplicationEvent(new AvailabilityChangeEvent<>(this, state));
	}

	private ServingStatus status(String service) {
		AtomicReference<ServingStatus> status = new AtomicReference<>();
		((HealthGrpc.HealthImplBase) this.health.getHealthService())
			.check(HealthCheckRequest.newBuilder().setService(service).build(), new StreamObserver<>() {

				@Override
				public void onNext(HealthCheckResponse response) {
					status.set(response.getStatus());
				}

				@Override
				public void onError(Throwable failure) {
					status.set(ServingStatus.SERVICE_UNKNOWN);
				}

				@Override
				public void onCompleted() {
				}

			});
		return status.get();
	}

}
