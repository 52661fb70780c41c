package io.github.gracefulshutdown.sample.grpc;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

import com.google.common.util.concurrent.ListenableFuture;
import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Runs the gRPC sample jar as a real process and stops it with a real SIGTERM, with a
 * real grpc-java client on 127.0.0.1.
 */
class SampleGrpcShutdownIT {

	private static final int SIGTERM_EXIT_CODE = 143;

	private static final Duration GRACE_PERIOD = Duration.ofSeconds(30);

	private static final Duration WINDOW = Duration.ofSeconds(4);

	/**
	 * Longer than {@link #WINDOW}: the call is still in flight when the server sends
	 * GOAWAY at the end of the window.
	 */
	private static final long IN_FLIGHT_MILLIS = 6000;

	private ManagedChannel channel;

	@AfterEach
	void closeChannel() {
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
	}

	@Test
	void afterSigtermHealthGoesDownCallsSucceedThroughTheWindowTheStreamEndsCleanlyAndTheProcessExitsByItself()
			throws Exception {
		try (SampleProcess sample = SampleProcess.start("--graceful-shutdown.delay=" + WINDOW.toSeconds() + "s")) {
			this.channel = NettyChannelBuilder.forAddress("127.0.0.1", sample.grpcPort()).usePlaintext().build();
			assertThat(health("")).isEqualTo(ServingStatus.SERVING);
			assertThat(health("readiness")).isEqualTo(ServingStatus.SERVING);
			assertThat(health("liveness")).isEqualTo(ServingStatus.SERVING);
			ListenableFuture<StringValue> inFlight = ClientCalls.futureUnaryCall(
					this.channel.newCall(WorkService.WORK, CallOptions.DEFAULT.withDeadlineAfter(30, TimeUnit.SECONDS)),
					Int64Value.of(IN_FLIGHT_MILLIS));
			TickStream ticks = new TickStream();
			ClientCalls.asyncServerStreamingCall(this.channel.newCall(TickService.SUBSCRIBE, CallOptions.DEFAULT),
					Int64Value.of(0), ticks);
			sample.awaitLog(Pattern.compile("Working for " + IN_FLIGHT_MILLIS + " ms"), Duration.ofSeconds(10));
			await().atMost(Duration.ofSeconds(10)).until(() -> ticks.last().isPresent());

			sample.sigterm();

			await().atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(health("readiness")).isEqualTo(ServingStatus.NOT_SERVING));
			assertThat(health("")).isEqualTo(ServingStatus.NOT_SERVING);
			assertThat(health("liveness")).isEqualTo(ServingStatus.SERVING);
			for (int i = 0; i < 3; i++) {
				assertThat(work(10)).startsWith("worked 10 ms");
			}
			assertThat(sample.sinceSigterm()).as("still inside the window").isLessThan(WINDOW);

			assertThat(ticks.end.get(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS).getCode())
				.as("the stream ends cleanly, ended by the application when the drain told it")
				.isEqualTo(Status.Code.OK);
			assertThat(sample.sinceSigterm()).as("the stream ends after the window").isGreaterThanOrEqualTo(WINDOW);
			assertThat(ticks.last()).hasValueSatisfying((tick) -> assertThat(tick).isGreaterThan(10));
			assertThat(inFlight.get(GRACE_PERIOD.toSeconds(), TimeUnit.SECONDS).getValue())
				.startsWith("worked " + IN_FLIGHT_MILLIS + " ms");
			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isGreaterThan(WINDOW).isLessThan(GRACE_PERIOD.dividedBy(2));
			assertThat(sample.countLogLines(Pattern.compile("Ended 1 tick streams"))).isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain started by CONTEXT_CLOSE"))).isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain report: \\{\"trigger\":\"CONTEXT_CLOSE\""))).isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain report: .*\"grpcCallsReceivedWhileDraining\":3\\b")))
				.as("the three calls of the window, health checks left out")
				.isOne();
			assertThat(sample.countLogLines(Pattern.compile("Drain report: .*\"grpcCallsCutOff\":0\\b"))).isOne();
		}
	}

	@Test
	void withoutAWebServerTheGrpcServerIsDrainedAlike() throws Exception {
		try (SampleProcess sample = SampleProcess.start("--spring.main.web-application-type=none",
				"--graceful-shutdown.delay=" + WINDOW.toSeconds() + "s")) {
			this.channel = NettyChannelBuilder.forAddress("127.0.0.1", sample.grpcPort()).usePlaintext().build();
			assertThat(health("readiness")).isEqualTo(ServingStatus.SERVING);

			sample.sigterm();

			await().atMost(Duration.ofSeconds(2))
				.untilAsserted(() -> assertThat(health("readiness")).isEqualTo(ServingStatus.NOT_SERVING));
			assertThat(health("liveness")).isEqualTo(ServingStatus.SERVING);
			assertThat(work(10)).startsWith("worked 10 ms");
			assertThat(sample.sinceSigterm()).as("still inside the window").isLessThan(WINDOW);
			Duration sigtermToExit = sample.awaitExit(GRACE_PERIOD);
			assertThat(sample.exitValue()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(sigtermToExit).isGreaterThan(WINDOW).isLessThan(GRACE_PERIOD.dividedBy(2));
			assertThat(sample.countLogLines(Pattern.compile("Tomcat started"))).as("no web server").isZero();
			assertThat(sample.countLogLines(Pattern.compile("Drain report: .*\"grpcCallsReceivedWhileDraining\":1\\b")))
				.isOne();
		}
	}

	private ServingStatus health(String service) {
		return HealthGrpc.newBlockingStub(this.channel)
			.withDeadlineAfter(10, TimeUnit.SECONDS)
			.check(HealthCheckRequest.newBuilder().setService(service).build())
			.getStatus();
	}

	private String work(long millis) {
		return ClientCalls
			.blockingUnaryCall(this.channel, WorkService.WORK,
					CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), Int64Value.of(millis))
			.getValue();
	}

	/**
	 * Records the last tick of a stream and how the stream ended.
	 */
	private static final class TickStream implements StreamObserver<Int64Value> {

		final CompletableFuture<Status> end = new CompletableFuture<>();

		private final AtomicLong last = new AtomicLong(-1);

		@Override
		public void onNext(Int64Value tick) {
			this.last.set(tick.getValue());
		}

		@Override
		public void onError(Throwable error) {
			this.end.complete(Status.fromThrowable(error));
		}

		@Override
		public void onCompleted() {
			this.end.complete(Status.OK);
		}

		Optional<Long> last() {
			long tick = this.last.get();
			return (tick < 0) ? Optional.empty() : Optional.of(tick);
		}

	}

}
