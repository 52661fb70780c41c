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
 * A {@link ServerCall} takes one caller at a time and the application sends on threads of
 * its own, so the call may be closed for the drain only while no send of the application
 * is under way. Two fields decide it without a lock, each written by one side: the
 * application's state (idle, sending, closed, or dropping once it has seen the cut-off)
 * and the drain's cut-off status. The application announces each header, message or close
 * with a volatile write and then reads the cut-off; the drain sets the cut-off by
 * compare-and-set and then reads the state. Of two such pairs of volatile accesses at
 * least one sees the other's write: either the application sees the cut-off and drops
 * what it was about to send, or the drain sees the send and waits until the application,
 * with a release write, says it is over. Whichever of them first finds the call cut off
 * and not sending closes it for the drain, once, decided by a compare-and-set of the
 * cut-off status; a call the application closed stays as it is. The cost falls on the
 * drain, which cuts a call off at most once per shutdown: per header, message or close
 * the application pays one volatile write (a store fence), two volatile reads and a
 * release write, and no object besides the call itself.
 *
 * @param <ReqT> the type of the requests
 * @param <RespT> the type of the responses
 */
class DrainableServerCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {

	/**
	 * No send of the application under way.
	 */
	private static final int IDLE = 0;

	/**
	 * A header, message or close of the application under way, or about to be dropped.
	 */
	private static final int SENDING = 1;

	/**
	 * The application closed the call.
	 */
	private static final int CLOSED = 2;

	/**
	 * The application has seen the cut-off and drops whatever it sends from now on.
	 */
	private static final int DROPPING = 3;

	/**
	 * The cut-off status once the call has been closed for the drain.
	 */
	private static final Status ENDED = Status.UNAVAILABLE.withDescription("Ended by the drain");

	private static final VarHandle STATE;

	private static final VarHandle CUT_OFF_STATUS;

	static {
		try {
			MethodHandles.Lookup lookup = MethodHandles.lookup();
			STATE = lookup.findVarHandle(DrainableServerCall.class, "state", int.class);
			CUT_OFF_STATUS = lookup.findVarHandle(DrainableServerCall.class, "cutOffStatus", Status.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	/**
	 * Where the application is: written only by the thread that uses the call, which
	 * therefore reads it plainly; the drain reads it with a volatile read.
	 */
	private int state;

	/**
	 * The status the drain ends the call with, set once when it cuts the call off, then
	 * {@link #ENDED} once the call has been closed with it.
	 */
	private volatile @Nullable Status cutOffStatus;

	DrainableServerCall(ServerCall<ReqT, RespT> delegate) {
		super(delegate);
	}

	@Override
	public void sendHeaders(Metadata headers) {
		int current = (int) STATE.get(this);
		if (current == CLOSED) {
			// The transport tells the application it sends on a closed call
			super.sendHeaders(headers);
		}
		else if (current == IDLE && beginSend()) {
			try {
				super.sendHeaders(headers);
			}
			finally {
				endSend();
			}
		}
	}

	@Override
	public void sendMessage(RespT message) {
		int current = (int) STATE.get(this);
		if (current == CLOSED) {
			// The transport tells the application it sends on a closed call
			super.sendMessage(message);
		}
		else if (current == IDLE && beginSend()) {
			try {
				super.sendMessage(message);
			}
			finally {
				endSend();
			}
		}
	}

	/**
	 * Closes the call unless the drain has cut it off or the application closed it
	 * already.
	 */
	@Override
	public void close(Status status, Metadata trailers) {
		if ((int) STATE.get(this) == IDLE && beginSend()) {
			try {
				super.close(status, trailers);
			}
			finally {
				STATE.setRelease(this, CLOSED);
			}
		}
	}

	/**
	 * Announces a send of the application, then looks for a cut-off: the volatile write
	 * comes before the read, so a drain that cuts the call off now either is seen here or
	 * sees the send.
	 * @return whether the send may go ahead; if not, the application drops it and all
	 * that follow
	 */
	private boolean beginSend() {
		STATE.setVolatile(this, SENDING);
		if (this.cutOffStatus == null) {
			return true;
		}
		STATE.setRelease(this, DROPPING);
		closeForDrain();
		return false;
	}

	/**
	 * Says the send is over and, if the drain cut the call off meanwhile, closes it: the
	 * drain waits for that too, but it may have stopped waiting.
	 */
	private void endSend() {
		STATE.setRelease(this, IDLE);
		if (this.cutOffStatus != null) {
			closeForDrain();
		}
	}

	/**
	 * Cuts the call off with the given status: the application's sends and close are
	 * dropped from now on. The first cut-off wins; its caller then ends the call with
	 * {@link #closeCutOff()}.
	 * @param status the status the client gets
	 * @return whether this was the call's first cut-off
	 */
	boolean cutOff(Status status) {
		return CUT_OFF_STATUS.compareAndSet(this, null, status);
	}

	/**
	 * Ends a call cut off by {@link #cutOff(Status)} with its status, unless the
	 * application closed it first or is in the middle of a send, in which case the send
	 * ends it when it returns.
	 * @return {@code false} while a send of the application is under way, {@code true}
	 * once the call has ended
	 */
	boolean closeCutOff() {
		int current = (int) STATE.getVolatile(this);
		if (current == SENDING) {
			return false;
		}
		if (current != CLOSED) {
			closeForDrain();
		}
		return true;
	}

	/**
	 * Returns whether the drain closed the call, rather than the application.
	 * @return {@code true} once the drain has closed the call with its cut-off status
	 */
	boolean isEndedByDrain() {
		return this.cutOffStatus == ENDED;
	}

	/**
	 * Closes a call cut off while no send of the application is under way, unless the
	 * drain or the application's thread did already.
	 */
	private void closeForDrain() {
		Status status = this.cutOffStatus;
		if (status != null && status != ENDED && CUT_OFF_STATUS.compareAndSet(this, status, ENDED)) {
			endForDrain(status);
		}
	}

	/**
	 * Ends the call for the drain, once, while no send of the application is under way.
	 * @param status the cut-off status
	 */
	void endForDrain(Status status) {
		delegate().close(status, new Metadata());
	}

}
