package io.github.gracefulshutdown.grpc;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gracefulshutdown.testsupport.EchoService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;

import static org.awaitility.Awaitility.await;

/**
 * A server call that records what reaches the transport: the headers and messages sent
 * and the statuses it was closed with. Like grpc-java's call it refuses headers sent
 * twice. It can hold a send, as a slow transport would.
 */
final class RecordingServerCall extends ServerCall<String, String> {

	final List<String> sent = new CopyOnWriteArrayList<>();

	final List<Status> closes = new CopyOnWriteArrayList<>();

	final AtomicInteger headersSent = new AtomicInteger();

	private final MethodDescriptor<String, String> method;

	private volatile CountDownLatch sendEntered;

	private final CountDownLatch sendReleased = new CountDownLatch(1);

	private volatile boolean closedElsewhere;

	RecordingServerCall() {
		this(EchoService.HELLO);
	}

	RecordingServerCall(MethodDescriptor<String, String> method) {
		this.method = method;
	}

	/**
	 * Holds the next send until {@link #releaseSend()}.
	 */
	void blockNextSend() {
		this.sendEntered = new CountDownLatch(1);
	}

	void awaitSendEntered() {
		await().until(() -> this.sendEntered.getCount() == 0);
	}

	void releaseSend() {
		this.sendReleased.countDown();
	}

	/**
	 * Closes the call past the tracker, as an interceptor outside it may: a close through
	 * the tracker then fails, as gRPC's own call does.
	 */
	void closeElsewhere() {
		this.closedElsewhere = true;
	}

	@Override
	public void request(int numMessages) {
	}

	@Override
	public void sendHeaders(Metadata headers) {
		if (!this.headersSent.compareAndSet(0, 1)) {
			throw new IllegalStateException("sendHeaders has already been called");
		}
	}

	@Override
	public void sendMessage(String message) {
		this.sent.add(message);
		CountDownLatch entered = this.sendEntered;
		if (entered != null && entered.getCount() > 0) {
			entered.countDown();
			try {
				this.sendReleased.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	@Override
	public void close(Status status, Metadata trailers) {
		if (this.closedElsewhere) {
			throw new IllegalStateException("call already closed");
		}
		this.closes.add(status);
	}

	@Override
	public boolean isCancelled() {
		return false;
	}

	@Override
	public MethodDescriptor<String, String> getMethodDescriptor() {
		return this.method;
	}

}
