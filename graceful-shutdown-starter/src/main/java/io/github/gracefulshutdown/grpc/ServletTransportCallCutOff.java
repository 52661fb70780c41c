package io.github.gracefulshutdown.grpc;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Ends the gRPC calls still running when the web server's graceful phase is over, where
 * the web server serves gRPC (Spring gRPC's servlet transport): with
 * {@link GrpcCallTracker#SHUTTING_DOWN}, which clients retry elsewhere, rather than
 * leaving them to the web server's stop, whose closed streams and connections clients see
 * as INTERNAL or UNAVAILABLE depending on which comes first. The report of the HTTP
 * requests cut off names them. The status goes out with the response's trailers after the
 * call has ended, and the web server's stop, which comes next, closes the connections: so
 * the cut-off waits, within its send timeout, until the HTTP requests of the calls it
 * ended are over.
 */
final class ServletTransportCallCutOff implements Runnable {

	private static final Log logger = LogFactory.getLog(ServletTransportCallCutOff.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final DrainCoordinator coordinator;

	private final GrpcCallTracker calls;

	private final RequestActivity requests;

	private final Duration sendTimeout;

	ServletTransportCallCutOff(DrainCoordinator coordinator, GrpcCallTracker calls, RequestActivity requests,
			Duration sendTimeout) {
		this.coordinator = coordinator;
		this.calls = calls;
		this.requests = requests;
		this.sendTimeout = sendTimeout;
	}

	@Override
	public void run() {
		if (!this.coordinator.isDraining() || this.calls.activity().inFlight() == 0) {
			return;
		}
		long deadline = System.nanoTime() + this.sendTimeout.toNanos();
		long requestsBefore = this.requests.inFlight();
		long cutOff = this.calls.cutOffCallsInFlight(this.sendTimeout);
		long requestsLeft = requestsBefore - cutOff;
		while (this.requests.inFlight() > requestsLeft && deadline - System.nanoTime() > 0) {
			LockSupport.parkNanos(POLL_NANOS);
		}
		logger.warn(cutOff + ((cutOff == 1) ? " gRPC call was" : " gRPC calls were")
				+ " still running at the in-flight deadline and ended with UNAVAILABLE");
	}

}
