package io.github.gracefulshutdown.grpc;

import java.util.List;

import io.github.gracefulshutdown.drain.ActiveRequest;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.web.InFlightRequestTable;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Status;

import org.springframework.core.Ordered;

/**
 * Follows every gRPC call from its start to its end, as the servlet filter follows HTTP
 * requests: counts the calls in flight and those received during the drain (health checks
 * left out), remembers each so that the ones still running at the deadline can be named
 * and ended with {@link #SHUTTING_DOWN}. Runs before every other interceptor. Per call it
 * costs two objects of 24 bytes (the call wrapper and the listener wrapper, which also
 * holds the call's slot), two counter updates, a compare-and-set in the table of calls
 * and one more to close the call, plus two atomic updates per header or message sent.
 */
public final class GrpcCallTracker implements ServerInterceptor, Ordered {

	/**
	 * The status of a call cut off at the deadline: UNAVAILABLE, which clients and retry
	 * policies take as a reason to try again elsewhere, unlike the CANCELLED a call gets
	 * when the server is stopped under it.
	 */
	public static final Status SHUTTING_DOWN = Status.UNAVAILABLE
		.withDescription("Server is shutting down; retry the call on another instance");

	/**
	 * Calls remembered at once; more concurrent calls than this are counted but can be
	 * neither named nor ended with UNAVAILABLE at the deadline.
	 */
	static final int TABLE_CAPACITY = 4096;

	/**
	 * The gRPC health service, whose checks are probes rather than traffic.
	 */
	private static final String HEALTH_SERVICE = "grpc.health.v1.Health";

	private final DrainCoordinator coordinator;

	private final RequestActivity activity;

	private final InFlightRequestTable<DrainableServerCall<?, ?>> table;

	/**
	 * Creates a tracker.
	 * @param coordinator the application's drain
	 * @param activity where the gRPC calls are counted
	 */
	public GrpcCallTracker(DrainCoordinator coordinator, RequestActivity activity) {
		this.coordinator = coordinator;
		this.activity = activity;
		this.table = new InFlightRequestTable<>(TABLE_CAPACITY, (call, runningFor) -> new ActiveRequest("gRPC",
				call.getMethodDescriptor().getFullMethodName(), runningFor));
	}

	@Override
	public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
			ServerCallHandler<ReqT, RespT> next) {
		this.activity.requestReceived(this.coordinator.isDraining() && !isHealthCheck(call));
		DrainableServerCall<ReqT, RespT> drainable = new DrainableServerCall<>(call);
		int slot = this.table.claim(drainable);
		try {
			return new CompletionListener<>(next.startCall(drainable, headers), slot);
		}
		catch (RuntimeException | Error ex) {
			completed(slot);
			throw ex;
		}
	}

	private static boolean isHealthCheck(ServerCall<?, ?> call) {
		return HEALTH_SERVICE.equals(call.getMethodDescriptor().getServiceName());
	}

	private void completed(int slot) {
		this.table.release(slot);
		this.activity.requestCompleted();
	}

	/**
	 * Returns the calls the application received and finished.
	 * @return the gRPC call activity
	 */
	public RequestActivity activity() {
		return this.activity;
	}

	/**
	 * Returns the calls in flight, longest running first.
	 * @return the calls in flight
	 */
	public List<ActiveRequest> callsInFlight() {
		return this.table.snapshot();
	}

	/**
	 * Ends the health checks still open with {@link #SHUTTING_DOWN}: they are not
	 * traffic, and a client that watches health (client-side health checking keeps a
	 * {@code Watch} open on every server) would otherwise hold the in-flight drain until
	 * its deadline.
	 */
	public void endHealthChecks() {
		for (DrainableServerCall<?, ?> call : this.table.requests()) {
			if (isHealthCheck(call)) {
				call.cutOff(SHUTTING_DOWN);
			}
		}
	}

	/**
	 * Ends every call still in flight with {@link #SHUTTING_DOWN} and records how many
	 * were cut off.
	 * @return the number of calls that were in flight
	 */
	public long cutOffCallsInFlight() {
		long inFlight = this.activity.inFlight();
		this.activity.requestsCutOff(inFlight);
		for (DrainableServerCall<?, ?> call : this.table.requests()) {
			call.cutOff(SHUTTING_DOWN);
		}
		return inFlight;
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * Tells the tracker when a call has ended, completed or cancelled.
	 */
	private final class CompletionListener<ReqT>
			extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {

		private final int slot;

		CompletionListener(ServerCall.Listener<ReqT> delegate, int slot) {
			super(delegate);
			this.slot = slot;
		}

		@Override
		public void onComplete() {
			try {
				super.onComplete();
			}
			finally {
				completed(this.slot);
			}
		}

		@Override
		public void onCancel() {
			try {
				super.onCancel();
			}
			finally {
				completed(this.slot);
			}
		}

	}

}
