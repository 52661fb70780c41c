package io.github.gracefulshutdown.grpc;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * A call in flight that the drain can end at its deadline with a status of its choosing.
 * A {@link ServerCall} is not thread-safe and the application sends on threads of its
 * own, so the drain may close the call only while no send of the application is under
 * way. One integer, updated atomically, holds the sends under way, a cut-off bit and a
 * closed bit, and decides it without a lock: the cut-off closes the call at once if no
 * send is under way, otherwise the send that returns last closes it; sends that come
 * after the cut-off are dropped. The call is closed once, by the application or by the
 * drain. Costs two atomic updates per header or message sent and one per close, and no
 * object besides itself.
 *
 * @param <ReqT> the type of the requests
 * @param <RespT> the type of the responses
 */
final class DrainableServerCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {

	private static final int CUT_OFF = 1 << 30;

	private static final int CLOSED = 1 << 29;

	private static final VarHandle STATE;

	static {
		try {
			STATE = MethodHandles.lookup().findVarHandle(DrainableServerCall.class, "state", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * The sends under way in the low bits, with {@link #CUT_OFF} once the drain has cut
	 * the call off and {@link #CLOSED} once the application or the drain has closed it.
	 */
	private volatile int state;

	private volatile @Nullable Status cutOffStatus;

	DrainableServerCall(ServerCall<ReqT, RespT> delegate) {
		super(delegate);
	}

	@Override
	public void sendHeaders(Metadata headers) {
		if (enter()) {
			try {
				super.sendHeaders(headers);
			}
			finally {
				leave();
			}
		}
	}

	@Override
	public void sendMessage(RespT message) {
		if (enter()) {
			try {
				super.sendMessage(message);
			}
			finally {
				leave();
			}
		}
	}

	/**
	 * Closes the call unless the drain has cut it off or it is closed already. Once the
	 * closed bit is set the drain leaves the call alone, so the close itself needs no
	 * send slot.
	 */
	@Override
	public void close(Status status, Metadata trailers) {
		// Guess that no send is under way, as is usual when a call closes: a wrong guess
		// costs one more exchange, a right one saves reading the state first
		int current = 0;
		while ((current & (CUT_OFF | CLOSED)) == 0) {
			int witness = (int) STATE.compareAndExchange(this, current, current | CLOSED);
			if (witness == current) {
				super.close(status, trailers);
				return;
			}
			current = witness;
		}
	}

	/**
	 * Ends the call with the given status, at once or as soon as the send under way
	 * returns. Does nothing if the call is closed or cut off already.
	 * @param status the status the client gets
	 */
	void cutOff(Status status) {
		int current = this.state;
		if ((current & (CUT_OFF | CLOSED)) != 0) {
			return;
		}
		this.cutOffStatus = status;
		while ((current & (CUT_OFF | CLOSED)) == 0) {
			int witness = (int) STATE.compareAndExchange(this, current, current | CUT_OFF);
			if (witness == current) {
				if (current == 0) {
					closeForDrain();
				}
				return;
			}
			current = witness;
		}
	}

	private boolean enter() {
		if (((int) STATE.getAndAdd(this, 1) & CUT_OFF) != 0) {
			leave();
			return false;
		}
		return true;
	}

	private void leave() {
		if ((int) STATE.getAndAdd(this, -1) - 1 == CUT_OFF) {
			closeForDrain();
		}
	}

	/**
	 * Closes a call that is cut off and has no send under way; the closed bit makes sure
	 * that only the first of the cut-off and the sends that return after it does.
	 */
	private void closeForDrain() {
		Status status = this.cutOffStatus;
		if (status != null && ((int) STATE.getAndBitwiseOr(this, CLOSED) & CLOSED) == 0) {
			super.close(status, new Metadata());
		}
	}

}
