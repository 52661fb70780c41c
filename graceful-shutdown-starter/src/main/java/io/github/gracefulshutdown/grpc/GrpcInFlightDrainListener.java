package io.github.gracefulshutdown.grpc;

import java.time.Duration;

/**
 * Callback for application code that holds long-lived gRPC calls (server or bidirectional
 * streams, watches): called when the gRPC server has told its clients to go away, the
 * moment to end those calls cleanly, for example with a last message that carries a
 * resume token and {@code onCompleted()}, so that clients resume on another instance well
 * before the calls would be cut off with UNAVAILABLE. Beans of this type are called in
 * order on a thread of the drain's own, which waits for them at most
 * {@code graceful-shutdown.listener-timeout}; one that throws is logged and does not stop
 * the others.
 */
@FunctionalInterface
public interface GrpcInFlightDrainListener {

	/**
	 * Called once, after the gRPC server sent GOAWAY and stopped accepting connections.
	 * @param timeLeft how long the calls in flight may still run before they are cut off
	 */
	void inFlightDrainStarted(Duration timeLeft);

}
