package io.github.gracefulshutdown.grpc;

import io.github.gracefulshutdown.drain.RequestActivity;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Meters for the gRPC calls of a drain, beside those of the HTTP requests: calls in
 * flight, received after the drain started, and cut off at the deadline.
 */
public class GrpcCallMetrics implements MeterBinder {

	private final RequestActivity calls;

	/**
	 * Creates the meters' source.
	 * @param calls the gRPC calls the application receives
	 */
	public GrpcCallMetrics(RequestActivity calls) {
		this.calls = calls;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("graceful.shutdown.grpc.calls.active", this.calls, RequestActivity::inFlight)
			.description("gRPC calls in flight")
			.register(registry);
		FunctionCounter
			.builder("graceful.shutdown.drain.grpc.calls", this.calls, RequestActivity::receivedWhileDraining)
			.description("gRPC calls received after the drain started, health checks left out")
			.register(registry);
		FunctionCounter.builder("graceful.shutdown.grpc.calls.cut.off", this.calls, RequestActivity::cutOff)
			.description("gRPC calls still running at the deadline, ended with UNAVAILABLE")
			.register(registry);
	}

}
