package io.github.gracefulshutdown.grpc;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.ActiveRequest;
import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.test.TestThreads;
import io.github.gracefulshutdown.testsupport.EchoService;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GrpcCallTracker}, driving calls through it as the server does, with a
 * call that records what reaches the transport.
 */
class GrpcCallTrackerTests {

	private static final MethodDescriptor<String, String> HEALTH_CHECK = EchoService.HELLO.toBuilder()
		.setFullMethodName(MethodDescriptor.generateFullMethodName("grpc.health.v1.Health", "Check"))
		.build();

	private final DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO),
			List::of, Clock.systemUTC());

	private final RequestActivity webRequests = new RequestActivity();

	private final GrpcCallTracker tracker = new GrpcCallTracker(this.coordinator, this.webRequests);

	private final RequestActivity activity = this.tracker.activity();

	@Test
	void aCallIsInFlightUntilItCompletes() {
		RecordingServerCall call = new RecordingServerCall(EchoService.HELLO);
		ServerCall.Listener<String> listener = this.tracker.interceptCall(call, new Metadata(), answering());

		assertThat(this.activity.inFlight()).isOne();
		assertThat(this.tracker.callsInFlight()).extracting(ActiveRequest::method, ActiveRequest::path)
			.containsExactly(Tuple.tuple("gRPC", "test.Echo/Hello"));
		listener.onHalfClose();
		assertThat(call.closes).containsExactly(Status.OK);
		listener.onComplete();

		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.tracker.callsInFlight()).isEmpty();
	}

	@Test
	void aCancelledCallIsNoLongerInFlight() {
		ServerCall.Listener<String> listener = this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO),
				new Metadata(), answering());

		listener.onCancel();

		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.tracker.callsInFlight()).isEmpty();
	}

	@Test
	void whenTheServiceListenerFailsOnCompletionTheCallStillEnds() {
		ServerCall.Listener<String> completing = this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO),
				new Metadata(), failingOnEnd());
		ServerCall.Listener<String> cancelled = this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO),
				new Metadata(), failingOnEnd());

		assertThatIllegalStateException().isThrownBy(completing::onComplete);
		assertThatIllegalStateException().isThrownBy(cancelled::onCancel);

		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.tracker.callsInFlight()).isEmpty();
	}

	@Test
	void whenTheServiceFailsToStartTheCallItIsNotInFlight() {
		ServerCallHandler<String, String> failing = (call, headers) -> {
			throw new IllegalStateException("no listener");
		};

		assertThatIllegalStateException().isThrownBy(
				() -> this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO), new Metadata(), failing));

		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.tracker.callsInFlight()).isEmpty();
	}

	@Test
	void callsReceivedDuringTheDrainCountAsDrainTrafficAndHealthChecksDoNot() {
		this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO), new Metadata(), answering())
			.onComplete();

		this.coordinator.startDrain(DrainTrigger.APPLICATION);
		this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO), new Metadata(), answering())
			.onComplete();
		this.tracker.interceptCall(new RecordingServerCall(HEALTH_CHECK), new Metadata(), answering()).onComplete();

		assertThat(this.activity.receivedWhileDraining()).isOne();
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void callsReceivedDuringTheDrainKeepThePropagationWindowOpenLikeWebRequestsAndHealthChecksDoNot() {
		Drain drain = this.coordinator.startDrain(DrainTrigger.APPLICATION);

		this.tracker.interceptCall(new RecordingServerCall(HEALTH_CHECK), new Metadata(), answering()).onComplete();
		assertThat(this.webRequests.lastRequestAfterDrainStart(drain)).isEmpty();
		ServerCall.Listener<String> call = this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO),
				new Metadata(), answering());

		assertThat(this.webRequests.lastRequestAfterDrainStart(drain)).isPresent();
		assertThat(this.webRequests.receivedWhileDraining()).isZero();
		assertThat(this.webRequests.inFlight()).isZero();
		assertThat(this.activity.receivedWhileDraining()).isOne();
		assertThat(this.activity.inFlight()).isOne();
		call.onComplete();
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void atTheDeadlineCallsInFlightEndWithUnavailableOnceAndStillCompleteOnce() {
		ServerCall.Listener<String> finished = this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO),
				new Metadata(), answering());
		RecordingServerCall running = new RecordingServerCall(EchoService.HELLO);
		ServerCall.Listener<String> listener = this.tracker.interceptCall(running, new Metadata(), answering());
		finished.onHalfClose();
		finished.onComplete();

		assertThat(this.tracker.cutOffCallsInFlight(Duration.ZERO)).isOne();
		assertThat(running.closes).containsExactly(GrpcCallTracker.SHUTTING_DOWN);
		listener.onHalfClose();
		listener.onComplete();

		assertThat(running.closes).as("the service's own close comes too late")
			.containsExactly(GrpcCallTracker.SHUTTING_DOWN);
		assertThat(running.sent).isEmpty();
		assertThat(this.activity.cutOff()).isOne();
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void endingHealthChecksLeavesOtherCallsRunning() {
		RecordingServerCall healthWatch = new RecordingServerCall(HEALTH_CHECK);
		this.tracker.interceptCall(healthWatch, new Metadata(), answering());
		RecordingServerCall call = new RecordingServerCall(EchoService.HELLO);
		this.tracker.interceptCall(call, new Metadata(), answering());

		this.tracker.endHealthChecks(Duration.ZERO);

		assertThat(healthWatch.closes).containsExactly(GrpcCallTracker.SHUTTING_DOWN);
		assertThat(call.closes).isEmpty();
	}

	@Test
	void callsBeyondWhatTheTableRemembersStillCountInFlight() {
		List<ServerCall.Listener<String>> calls = new ArrayList<>();
		for (int i = 0; i <= GrpcCallTracker.TABLE_CAPACITY; i++) {
			calls.add(this.tracker.interceptCall(new RecordingServerCall(EchoService.HELLO), new Metadata(),
					answering()));
		}

		assertThat(this.activity.inFlight()).isEqualTo(GrpcCallTracker.TABLE_CAPACITY + 1);
		assertThat(this.tracker.callsInFlight()).hasSize(GrpcCallTracker.TABLE_CAPACITY);
		calls.forEach(ServerCall.Listener::onComplete);
		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.tracker.callsInFlight()).isEmpty();
	}

	@Test
	void atTheDeadlineCallsBeyondWhatTheTableRemembersEndWithUnavailableToo() {
		List<RecordingServerCall> calls = new ArrayList<>();
		for (int i = 0; i <= GrpcCallTracker.TABLE_CAPACITY; i++) {
			RecordingServerCall call = new RecordingServerCall(EchoService.HELLO);
			this.tracker.interceptCall(call, new Metadata(), answering());
			calls.add(call);
		}

		assertThat(this.tracker.cutOffCallsInFlight(Duration.ZERO)).isEqualTo(GrpcCallTracker.TABLE_CAPACITY + 1);
		assertThat(calls).allSatisfy((call) -> assertThat(call.closes).containsExactly(GrpcCallTracker.SHUTTING_DOWN));
	}

	@Test
	void onTheServletTransportACallCutOffGetsResponseHeadersBeforeItsStatus() {
		GrpcCallTracker tracker = GrpcCallTracker.forServletTransport(this.coordinator, this.webRequests);
		RecordingServerCall working = new RecordingServerCall(EchoService.HELLO);
		tracker.interceptCall(working, new Metadata(), answering());
		RecordingServerCall streaming = new RecordingServerCall(EchoService.STREAM);
		tracker.interceptCall(streaming, new Metadata(), streamingWithoutEnd()).onHalfClose();

		assertThat(tracker.cutOffCallsInFlight(Duration.ZERO)).isEqualTo(2);
		assertThat(working.headersSent).hasValue(1);
		assertThat(working.closes).containsExactly(GrpcCallTracker.SHUTTING_DOWN);
		assertThat(streaming.headersSent).as("the application's, and no more").hasValue(1);
		assertThat(streaming.sent).containsExactly("first");
		assertThat(streaming.closes).containsExactly(GrpcCallTracker.SHUTTING_DOWN);
	}

	@Test
	void onGrpcsOwnServerACallCutOffGetsItsStatusAlone() {
		RecordingServerCall working = new RecordingServerCall(EchoService.HELLO);
		this.tracker.interceptCall(working, new Metadata(), answering());

		this.tracker.cutOffCallsInFlight(Duration.ZERO);

		assertThat(working.headersSent).as("a status alone, which retry policies may retry").hasValue(0);
		assertThat(working.closes).containsExactly(GrpcCallTracker.SHUTTING_DOWN);
	}

	@Test
	void atTheDeadlineACallInTheMiddleOfASendEndsWithUnavailableOnceTheSendReturns() throws Exception {
		RecordingServerCall sending = new RecordingServerCall(EchoService.HELLO);
		ServerCall.Listener<String> listener = this.tracker.interceptCall(sending, new Metadata(), answering());
		sending.blockNextSend();
		CompletableFuture<Void> application = TestThreads.runInBackground(listener::onHalfClose);
		sending.awaitSendEntered();

		CompletableFuture<Void> cutOff = TestThreads
			.runInBackground(() -> this.tracker.cutOffCallsInFlight(Duration.ofMinutes(1)));
		await().until(() -> this.activity.cutOff() == 1);
		assertThat(sending.closes).as("not while the application sends").isEmpty();
		sending.releaseSend();
		cutOff.get(10, TimeUnit.SECONDS);
		application.get(10, TimeUnit.SECONDS);

		assertThat(sending.closes).as("the service's own close comes too late")
			.containsExactly(GrpcCallTracker.SHUTTING_DOWN);
		assertThat(sending.sent).containsExactly("answer");
	}

	@Test
	void aCallWhoseSendOutlastsTheDrainsWaitEndsWithUnavailableWhenTheSendReturns() throws Exception {
		RecordingServerCall sending = new RecordingServerCall(EchoService.HELLO);
		ServerCall.Listener<String> listener = this.tracker.interceptCall(sending, new Metadata(), answering());
		sending.blockNextSend();
		CompletableFuture<Void> application = TestThreads.runInBackground(listener::onHalfClose);
		sending.awaitSendEntered();

		assertThat(this.tracker.cutOffCallsInFlight(Duration.ZERO)).isOne();
		assertThat(sending.closes).as("not while the application sends").isEmpty();
		sending.releaseSend();
		application.get(10, TimeUnit.SECONDS);

		assertThat(sending.closes).as("the service's own close comes too late")
			.containsExactly(GrpcCallTracker.SHUTTING_DOWN);
		assertThat(sending.sent).containsExactly("answer");
	}

	@Test
	void aCallClosedPastTheTrackerDoesNotKeepTheOtherCallsFromEnding() {
		RecordingServerCall closedElsewhere = new RecordingServerCall(EchoService.STREAM);
		this.tracker.interceptCall(closedElsewhere, new Metadata(), streamingWithoutEnd()).onHalfClose();
		closedElsewhere.closeElsewhere();
		RecordingServerCall open = new RecordingServerCall(EchoService.STREAM);
		this.tracker.interceptCall(open, new Metadata(), streamingWithoutEnd()).onHalfClose();

		assertThat(this.tracker.cutOffCallsInFlight(Duration.ZERO)).isEqualTo(2);
		assertThat(open.closes).containsExactly(GrpcCallTracker.SHUTTING_DOWN);
	}

	@Test
	void aCallTheDrainEndedIsCancelledForTheServiceThoughTheTransportReportsItCompleted() {
		List<String> ends = new ArrayList<>();
		RecordingServerCall streaming = new RecordingServerCall(EchoService.STREAM);
		ServerCall.Listener<String> listener = this.tracker.interceptCall(streaming, new Metadata(), answering(ends));
		this.tracker.cutOffCallsInFlight(Duration.ZERO);

		listener.onComplete();

		assertThat(streaming.closes).containsExactly(GrpcCallTracker.SHUTTING_DOWN);
		assertThat(ends).containsExactly("cancelled");
		assertThat(this.tracker.callsInFlight()).isEmpty();
	}

	@Test
	void aCallTheServiceClosedBeforeTheCutOffStillCompletes() {
		List<String> ends = new ArrayList<>();
		RecordingServerCall answered = new RecordingServerCall(EchoService.HELLO);
		ServerCall.Listener<String> listener = this.tracker.interceptCall(answered, new Metadata(), answering(ends));
		listener.onHalfClose();
		this.tracker.cutOffCallsInFlight(Duration.ZERO);

		listener.onComplete();

		assertThat(answered.closes).containsExactly(Status.OK);
		assertThat(ends).containsExactly("completed");
	}

	/**
	 * A unary service that answers when the client half-closes.
	 */
	private static ServerCallHandler<String, String> answering() {
		return answering(new ArrayList<>());
	}

	/**
	 * A unary service that answers when the client half-closes and records how the call
	 * ended.
	 */
	private static ServerCallHandler<String, String> answering(List<String> ends) {
		return (call, headers) -> new ServerCall.Listener<>() {

			@Override
			public void onHalfClose() {
				call.sendHeaders(new Metadata());
				call.sendMessage("answer");
				call.close(Status.OK, new Metadata());
			}

			@Override
			public void onComplete() {
				ends.add("completed");
			}

			@Override
			public void onCancel() {
				ends.add("cancelled");
			}

		};
	}

	/**
	 * A service that sends headers and a message when the request is complete, and never
	 * ends the call.
	 */
	private static ServerCallHandler<String, String> streamingWithoutEnd() {
		return (call, headers) -> new ServerCall.Listener<>() {

			@Override
			public void onHalfClose() {
				call.sendHeaders(new Metadata());
				call.sendMessage("first");
			}

		};
	}

	/**
	 * A service whose listener throws when the call ends, completed or cancelled.
	 */
	private static ServerCallHandler<String, String> failingOnEnd() {
		return (call, headers) -> new ServerCall.Listener<>() {

			@Override
			public void onComplete() {
				throw new IllegalStateException("failed on complete");
			}

			@Override
			public void onCancel() {
				throw new IllegalStateException("failed on cancel");
			}

		};
	}

}
