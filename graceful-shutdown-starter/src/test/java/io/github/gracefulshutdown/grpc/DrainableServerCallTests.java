package io.github.gracefulshutdown.grpc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gracefulshutdown.test.TestThreads;
import io.github.gracefulshutdown.testsupport.EchoService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.Status;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link DrainableServerCall}.
 */
class DrainableServerCallTests {

	private static final Status CUT_OFF = Status.UNAVAILABLE.withDescription("shutting down");

	private final RecordingServerCall recording = new RecordingServerCall();

	private final DrainableServerCall<String, String> call = new DrainableServerCall<>(this.recording);

	@Test
	void whenNoSendIsUnderWayThenTheCutOffClosesTheCallAtOnce() {
		this.call.sendHeaders(new Metadata());
		this.call.sendMessage("one");

		assertThat(this.call.cutOff(CUT_OFF)).isTrue();
		assertThat(this.call.closeCutOff()).isTrue();

		assertThat(this.recording.closes).containsExactly(CUT_OFF);
		assertThat(this.recording.sent).containsExactly("one");
	}

	@Test
	void whenASendIsUnderWayThenTheCallIsClosedOnceTheSendReturnsAndLaterSendsAreDropped() throws Exception {
		this.recording.blockNextSend();
		CompletableFuture<Void> send = TestThreads.runInBackground(() -> this.call.sendMessage("slow"));
		this.recording.awaitSendEntered();

		assertThat(this.call.cutOff(CUT_OFF)).isTrue();
		assertThat(this.call.closeCutOff()).as("not while the application sends").isFalse();
		assertThat(this.recording.closes).isEmpty();
		this.recording.releaseSend();
		send.get(10, TimeUnit.SECONDS);

		assertThat(this.call.closeCutOff()).isTrue();
		assertThat(this.recording.closes).containsExactly(CUT_OFF);
		this.call.sendMessage("late");
		this.call.close(Status.OK, new Metadata());
		assertThat(this.recording.sent).containsExactly("slow");
		assertThat(this.recording.closes).containsExactly(CUT_OFF);
	}

	@Test
	void whenTheApplicationSendsBetweenTheCutOffAndTheCloseThenItsSendIsDroppedAndTheCallStillCloses() {
		assertThat(this.call.cutOff(CUT_OFF)).isTrue();
		this.call.sendHeaders(new Metadata());
		this.call.sendMessage("late");
		this.call.close(Status.OK, new Metadata());

		assertThat(this.call.closeCutOff()).as("the application no longer sends").isTrue();
		assertThat(this.recording.sent).isEmpty();
		assertThat(this.recording.closes).containsExactly(CUT_OFF);
	}

	@Test
	void whenTheApplicationClosedTheCallThenTheCutOffLeavesItAlone() {
		this.call.close(Status.OK, new Metadata());

		assertThat(this.call.cutOff(CUT_OFF)).isTrue();
		assertThat(this.call.closeCutOff()).isTrue();

		assertThat(this.recording.closes).containsExactly(Status.OK);
	}

	@Test
	void aSecondCutOffIsNotTheCallsToClose() {
		assertThat(this.call.cutOff(CUT_OFF)).isTrue();
		assertThat(this.call.closeCutOff()).isTrue();

		assertThat(this.call.cutOff(Status.CANCELLED)).isFalse();
		assertThat(this.recording.closes).containsExactly(CUT_OFF);
	}

	@Test
	void aSecondCloseOfTheApplicationIsDropped() {
		this.call.close(Status.OK, new Metadata());
		this.call.close(Status.INTERNAL, new Metadata());

		assertThat(this.recording.closes).containsExactly(Status.OK);
	}

	@Test
	void aSendAfterTheApplicationClosedTheCallReachesTheTransportWhichRejectsIt() {
		this.call.close(Status.OK, new Metadata());
		this.call.sendMessage("after the close");

		assertThat(this.recording.sent).containsExactly("after the close");
		assertThat(this.call.cutOff(CUT_OFF)).isTrue();
		assertThat(this.call.closeCutOff()).isTrue();
		assertThat(this.recording.closes).containsExactly(Status.OK);
	}

	@Test
	void aCutOffRacingTheApplicationClosesTheCallOnceAndNeverDuringASend() throws Exception {
		for (int round = 0; round < 500; round++) {
			ExclusiveCall exclusive = new ExclusiveCall();
			DrainableServerCall<String, String> racing = new DrainableServerCall<>(exclusive);
			CountDownLatch start = new CountDownLatch(1);
			CompletableFuture<Void> application = TestThreads.runInBackground(() -> {
				awaitQuietly(start);
				racing.sendHeaders(new Metadata());
				for (int i = 0; i < 20; i++) {
					racing.sendMessage("message");
				}
				racing.close(Status.OK, new Metadata());
			});
			start.countDown();
			// Cut off at a different point of the application's work in every round
			int usesBefore = round % 23;
			while (exclusive.uses.get() < usesBefore && !application.isDone()) {
				Thread.onSpinWait();
			}
			assertThat(racing.cutOff(CUT_OFF)).isTrue();
			while (!racing.closeCutOff()) {
				Thread.onSpinWait();
			}
			application.get(10, TimeUnit.SECONDS);

			assertThat(exclusive.closes).as("round %d", round).hasSize(1);
			assertThat(exclusive.violations).as("round %d", round).isEmpty();
		}
	}

	private static void awaitQuietly(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * Notes every use of the call that overlaps another or follows its close: what a
	 * transport's call, which is not thread-safe, must never see.
	 */
	private static final class ExclusiveCall extends ServerCall<String, String> {

		private static final long USE_NANOS = TimeUnit.MICROSECONDS.toNanos(20);

		private final AtomicInteger inside = new AtomicInteger();

		private final AtomicInteger uses = new AtomicInteger();

		private final List<Status> closes = new CopyOnWriteArrayList<>();

		private final List<String> violations = new CopyOnWriteArrayList<>();

		@Override
		public void request(int numMessages) {
		}

		@Override
		public void sendHeaders(Metadata headers) {
			use("headers");
		}

		@Override
		public void sendMessage(String message) {
			use("message");
		}

		@Override
		public void close(Status status, Metadata trailers) {
			use("close " + status.getCode());
			this.closes.add(status);
		}

		private void use(String what) {
			if (this.inside.getAndIncrement() != 0) {
				this.violations.add(what + " during another use");
			}
			if (!this.closes.isEmpty()) {
				this.violations.add(what + " after the close");
			}
			this.uses.incrementAndGet();
			// Stay a while, as a transport does, so that the other thread can come in
			long until = System.nanoTime() + USE_NANOS;
			while (System.nanoTime() < until) {
				Thread.onSpinWait();
			}
			this.inside.decrementAndGet();
		}

		@Override
		public boolean isCancelled() {
			return false;
		}

		@Override
		public MethodDescriptor<String, String> getMethodDescriptor() {
			return EchoService.HELLO;
		}

	}

}
