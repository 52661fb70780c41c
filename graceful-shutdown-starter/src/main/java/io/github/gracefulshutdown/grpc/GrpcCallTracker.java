package io.github.gracefulshutdown.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

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
 * and ended with {@link #SHUTTING_DOWN}. Runs before every other interceptor. The calls
 * in flight are counted from the table that remembers them, so a call costs no counter
 * update outside a drain: two objects of 24 bytes (the call wrapper and the listener
 * wrapper, which also holds the call's slot), a compare-and-set and the time to claim a
 * slot, two release writes to free it, and one store fence per header, message or close
 * sent (see {@link DrainableServerCall}). During a drain it also counts the call as drain
 * traffic.
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
	 * How long the drain pauses between two looks at the calls it cut off in the middle
	 * of a send.
	 */
	private static final long SEND_POLL_NANOS = TimeUnit.MICROSECONDS.toNanos(50);

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
	 * @param windowActivity the activity the propagation window follows, which learns of
	 * the gRPC calls received during a drain
	 */
	public GrpcCallTracker(DrainCoordinator coordinator, RequestActivity windowActivity) {
		this.coordinator = coordinator;
		this.table = new InFlightRequestTable<>(TABLE_CAPACITY, (call, runningFor) -> new ActiveRequest("gRPC",
				call.getMethodDescriptor().getFullMethodName(), runningFor));
		this.activity = new RequestActivity(windowActivity, this.table::size);
	}

	@Override
	public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
			ServerCallHandler<ReqT, RespT> next) {
		if (this.coordinator.isDraining() && !isHealthCheck(call)) {
			this.activity.drainTrafficReceived();
		}
		DrainableServerCall<ReqT, RespT> drainable = new DrainableServerCall<>(call);
		int slot = this.table.claim(drainable);
		if (slot < 0) {
			// Counted apart from the table, which is full
			this.activity.requestReceived(false);
		}
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
		if (slot >= 0) {
			this.table.release(slot);
		}
		else {
			this.activity.requestCompleted();
		}
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
	 * @param sendTimeout how long to wait for a send under way on a health check to
	 * return; one still sending after that ends when its send returns
	 */
	public void endHealthChecks(Duration sendTimeout) {
		List<DrainableServerCall<?, ?>> healthChecks = new ArrayList<>();
		for (DrainableServerCall<?, ?> call : this.table.requests()) {
			if (isHealthCheck(call)) {
				healthChecks.add(call);
			}
		}
		cutOff(healthChecks, sendTimeout);
	}

	/**
	 * Ends every call still in flight with {@link #SHUTTING_DOWN} and records how many
	 * were cut off.
	 * @param sendTimeout how long to wait for sends under way to return; a call still
	 * sending after that ends when its send returns
	 * @return the number of calls that were in flight
	 */
	public long cutOffCallsInFlight(Duration sendTimeout) {
		long inFlight = this.activity.inFlight();
		this.activity.requestsCutOff(inFlight);
		cutOff(this.table.requests(), sendTimeout);
		return inFlight;
	}

	/**
	 * Cuts the calls off, ends at once those the application is not sending on, and waits
	 * for the sends under way to return (a send through the transport does not wait for
	 * the network, so that takes microseconds): a send that returns ends its call too,
	 * but only this wait is sure to see it return.
	 */
	private static void cutOff(List<DrainableServerCall<?, ?>> calls, Duration sendTimeout) {
		List<DrainableServerCall<?, ?>> sending = new ArrayList<>();
		for (DrainableServerCall<?, ?> call : calls) {
			if (call.cutOff(SHUTTING_DOWN) && !call.closeCutOff()) {
				sending.add(call);
			}
		}
		long deadline = System.nanoTime() + sendTimeout.toNanos();
		while (!sending.isEmpty() && deadline - System.nanoTime() > 0) {
			LockSupport.parkNanos(SEND_POLL_NANOS);
			sending.removeIf(DrainableServerCall::closeCutOff);
		}
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
