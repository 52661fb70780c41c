package io.github.gracefulshutdown.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
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
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

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

	private static final Log logger = LogFactory.getLog(GrpcCallTracker.class);

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
	 * The calls in flight that did not fit in the table, rare enough to be kept in a set.
	 */
	private final Set<DrainableServerCall<?, ?>> overflow = ConcurrentHashMap.newKeySet();

	private final boolean headersBeforeCutOffStatus;

	/**
	 * Creates a tracker for Spring gRPC's own server.
	 * @param coordinator the application's drain
	 * @param windowActivity the activity the propagation window follows, which learns of
	 * the gRPC calls received during a drain
	 */
	public GrpcCallTracker(DrainCoordinator coordinator, RequestActivity windowActivity) {
		this(coordinator, windowActivity, false);
	}

	private GrpcCallTracker(DrainCoordinator coordinator, RequestActivity windowActivity,
			boolean headersBeforeCutOffStatus) {
		this.coordinator = coordinator;
		this.table = new InFlightRequestTable<>(TABLE_CAPACITY, (call, runningFor) -> new ActiveRequest("gRPC",
				call.getMethodDescriptor().getFullMethodName(), runningFor));
		this.activity = new RequestActivity(windowActivity, () -> this.table.size() + this.overflow.size());
		this.headersBeforeCutOffStatus = headersBeforeCutOffStatus;
	}

	/**
	 * Creates a tracker for gRPC served by the web server (Spring gRPC's servlet
	 * transport), which ends the calls it cuts off with response headers before the
	 * status: the transport cannot send a status alone.
	 * @param coordinator the application's drain
	 * @param windowActivity the activity the propagation window follows, which learns of
	 * the gRPC calls received during a drain
	 * @return the tracker
	 */
	public static GrpcCallTracker forServletTransport(DrainCoordinator coordinator, RequestActivity windowActivity) {
		return new GrpcCallTracker(coordinator, windowActivity, true);
	}

	@Override
	public <ReqT, RespT> ServerCall.Listener<ReqT> interceptCall(ServerCall<ReqT, RespT> call, Metadata headers,
			ServerCallHandler<ReqT, RespT> next) {
		if (this.coordinator.isDraining() && !isHealthCheck(call)) {
			this.activity.drainTrafficReceived();
		}
		DrainableServerCall<ReqT, RespT> drainable = this.headersBeforeCutOffStatus ? new HeadersFirstServerCall<>(call)
				: new DrainableServerCall<>(call);
		int slot = this.table.claim(drainable);
		if (slot < 0) {
			this.overflow.add(drainable);
		}
		try {
			ServerCall.Listener<ReqT> listener = next.startCall(drainable, headers);
			return (slot >= 0) ? new TableSlotRelease<>(listener, drainable, slot)
					: new OverflowRemoval<>(listener, drainable);
		}
		catch (RuntimeException | Error ex) {
			if (slot >= 0) {
				this.table.release(slot);
			}
			else {
				this.overflow.remove(drainable);
			}
			throw ex;
		}
	}

	private static boolean isHealthCheck(ServerCall<?, ?> call) {
		return HEALTH_SERVICE.equals(call.getMethodDescriptor().getServiceName());
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
		for (DrainableServerCall<?, ?> call : callsToCutOff()) {
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
		cutOff(callsToCutOff(), sendTimeout);
		return inFlight;
	}

	private List<DrainableServerCall<?, ?>> callsToCutOff() {
		List<DrainableServerCall<?, ?>> calls = this.table.requests();
		calls.addAll(this.overflow);
		return calls;
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
			if (call.cutOff(SHUTTING_DOWN) && !closeCutOff(call)) {
				sending.add(call);
			}
		}
		long deadline = System.nanoTime() + sendTimeout.toNanos();
		while (!sending.isEmpty() && deadline - System.nanoTime() > 0) {
			LockSupport.parkNanos(SEND_POLL_NANOS);
			sending.removeIf(GrpcCallTracker::closeCutOff);
		}
	}

	/**
	 * Ends a call cut off, if no send of the application is under way. A call that cannot
	 * be closed (one an interceptor outside the tracker closed already, which gRPC
	 * refuses to close again) has nothing left to end, and must not keep the others from
	 * ending.
	 * @return {@code false} while a send of the application is under way
	 */
	private static boolean closeCutOff(DrainableServerCall<?, ?> call) {
		try {
			return call.closeCutOff();
		}
		catch (RuntimeException ex) {
			logger.debug("A gRPC call cut off by the drain could not be closed", ex);
			return true;
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

	/**
	 * Tells the tracker when a call has ended, completed or cancelled. A call the drain
	 * ended is cancelled for the application, whatever the transport reports (gRPC's
	 * Netty server reports a call it closed as completed): as when the server is shut
	 * down without a drain, the service's cancellation handlers run, and it stops sending
	 * and waiting for requests on a call that is over.
	 */
	private abstract static class CompletionListener<ReqT>
			extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {

		final DrainableServerCall<?, ?> call;

		CompletionListener(ServerCall.Listener<ReqT> delegate, DrainableServerCall<?, ?> call) {
			super(delegate);
			this.call = call;
		}

		@Override
		public void onComplete() {
			try {
				if (this.call.isEndedByDrain()) {
					super.onCancel();
				}
				else {
					super.onComplete();
				}
			}
			finally {
				completed();
			}
		}

		@Override
		public void onCancel() {
			try {
				super.onCancel();
			}
			finally {
				completed();
			}
		}

		abstract void completed();

	}

	/**
	 * Frees the call's slot in the table when it ends.
	 */
	private final class TableSlotRelease<ReqT> extends CompletionListener<ReqT> {

		private final int slot;

		TableSlotRelease(ServerCall.Listener<ReqT> delegate, DrainableServerCall<?, ?> call, int slot) {
			super(delegate, call);
			this.slot = slot;
		}

		@Override
		void completed() {
			GrpcCallTracker.this.table.release(this.slot);
		}

	}

	/**
	 * Removes a call that did not fit in the table from the overflow when it ends.
	 */
	private final class OverflowRemoval<ReqT> extends CompletionListener<ReqT> {

		OverflowRemoval(ServerCall.Listener<ReqT> delegate, DrainableServerCall<?, ?> call) {
			super(delegate, call);
		}

		@Override
		void completed() {
			GrpcCallTracker.this.overflow.remove(this.call);
		}

	}

}
