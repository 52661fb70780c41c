package io.github.gracefulshutdown.grpc;

import java.time.Duration;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends the gRPC calls still running when the web server's graceful phase is over, where
 * the web server serves gRPC (Spring gRPC's servlet transport): with
 * {@link GrpcCallTracker#SHUTTING_DOWN}, which clients retry elsewhere, rather than
 * leaving them to the web server's stop, whose closed streams and connections clients see
 * as INTERNAL or UNAVAILABLE depending on which comes first. The report of the HTTP
 * requests cut off names them.
 */
final class ServletTransportCallCutOff implements Runnable {

	private static final Log logger = LogFactory.getLog(ServletTransportCallCutOff.class);

	private final DrainCoordinator coordinator;

	private final GrpcCallTracker calls;

	private final Duration sendTimeout;

	ServletTransportCallCutOff(DrainCoordinator coordinator, GrpcCallTracker calls, Duration sendTimeout) {
		this.coordinator = coordinator;
		this.calls = calls;
		this.sendTimeout = sendTimeout;
	}

	@Override
	public void run() {
		if (!this.coordinator.isDraining() || this.calls.activity().inFlight() == 0) {
			return;
		}
		long cutOff = this.calls.cutOffCallsInFlight(this.sendTimeout);
		logger.warn(cutOff + ((cutOff == 1) ? " gRPC call was" : " gRPC calls were")
				+ " still running at the in-flight deadline and ended with UNAVAILABLE");
	}

}
