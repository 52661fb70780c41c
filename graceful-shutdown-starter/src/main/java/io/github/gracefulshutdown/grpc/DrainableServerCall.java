package io.github.gracefulshutdown.grpc;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.ForwardingServerCall;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * A call in flight that the drain can end at its deadline with a status of its choosing.
 * A {@link ServerCall} is not thread-safe and the application sends on threads of its
 * own, so the drain may close the call only while no send of the application is under
 * way. One atomic integer holds the sends under way and a cut-off bit, and decides it
 * without a lock: the cut-off closes the call at once if no send is under way, otherwise
 * the send that returns last closes it; sends that come after the cut-off are dropped.
 * The call is closed once, by the application or by the drain. Costs two atomic updates
 * per send.
 *
 * @param <ReqT> the type of the requests
 * @param <RespT> the type of the responses
 */
final class DrainableServerCall<ReqT, RespT> extends ForwardingServerCall.SimpleForwardingServerCall<ReqT, RespT> {

	private static final int CUT_OFF = 1 << 30;

	private final AtomicInteger sendsAndCutOff = new AtomicInteger();

	private final AtomicBoolean closed = new AtomicBoolean();

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

	@Override
	public void close(Status status, Metadata trailers) {
		if (enter()) {
			try {
				if (this.closed.compareAndSet(false, true)) {
					super.close(status, trailers);
				}
			}
			finally {
				leave();
			}
		}
	}

	/**
	 * Ends the call with the given status, at once or as soon as the send under way
	 * returns. Does nothing if the call is closed already.
	 * @param status the status the client gets
	 */
	void cutOff(Status status) {
		if (this.closed.get()) {
			return;
		}
		this.cutOffStatus = status;
		int previous = this.sendsAndCutOff.getAndUpdate((state) -> state | CUT_OFF);
		if (previous == 0) {
			closeForDrain();
		}
	}

	private boolean enter() {
		if (this.sendsAndCutOff.incrementAndGet() >= CUT_OFF) {
			leave();
			return false;
		}
		return true;
	}

	private void leave() {
		if (this.sendsAndCutOff.decrementAndGet() == CUT_OFF) {
			closeForDrain();
		}
	}

	private void closeForDrain() {
		Status status = this.cutOffStatus;
		if (status != null && this.closed.compareAndSet(false, true)) {
			super.close(status, new Metadata());
		}
	}

}
