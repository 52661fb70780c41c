package io.github.gracefulshutdown.e2e.grpc;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.load.PacedRequests;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.github.gracefulshutdown.e2e.load.SteadyLoad;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Status;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/**
 * Sends the gRPC sample's unary call at a steady rate, whatever the answers, and records
 * the outcome of each call. The calls go out on one grpc-java channel with
 * {@code round_robin} load balancing over the pods that {@link PodAddresses} names: one
 * HTTP/2 connection per pod, each call on the next pod whose connection is ready, as a
 * client of a headless Service does. The channel's own retry policy is left as it is:
 * calls that a server refused before processing them (a GOAWAY's unprocessed streams) are
 * retried transparently, every other failure is recorded. Every call has a deadline; the
 * pace, the cap on calls in flight and the records are {@link PacedRequests}'.
 * <p>
 * Beside the calls, the same channel keeps one subscription to the sample's ticks open
 * for the whole load ({@link ResumingTickStream}), as a client of a watch or a feed does.
 */
public final class GrpcLoadGenerator implements SteadyLoad {

	private static final String LOAD_BALANCING = "round_robin";

	private static final long CHANNEL_CLOSE_SECONDS = 5;

	private final PodAddresses pods;

	private final ManagedChannel channel;

	private final PacedRequests calls;

	private final Int64Value work;

	private final Duration callTimeout;

	private final ResumingTickStream ticks;

	private List<RequestRecord> streams = List.of();

	/**
	 * Creates a load generator and its channel, which resolves the pods' addresses
	 * through {@code pods}.
	 * @param pods the pods' addresses, as the endpoints controller changes them
	 * @param callsPerSecond how many calls to send each second
	 * @param work how long each call works on the server
	 * @param callTimeout the deadline of each call
	 */
	public GrpcLoadGenerator(PodAddresses pods, int callsPerSecond, Duration work, Duration callTimeout) {
		this.pods = pods;
		this.calls = new PacedRequests("grpc-load-scheduler", callsPerSecond, "calls");
		this.work = Int64Value.of(work.toMillis());
		this.callTimeout = callTimeout;
		NameResolverRegistry.getDefaultRegistry().register(pods);
		this.channel = NettyChannelBuilder.forTarget(pods.target())
			.usePlaintext()
			.defaultLoadBalancingPolicy(LOAD_BALANCING)
			.build();
		this.ticks = new ResumingTickStream(this.channel, this.calls.scheduler());
	}

	/**
	 * Calls one instance directly, one call after the other, as a pod serves for a while
	 * before a rollout begins. Whatever the calls answer, they stop at the given count or
	 * time.
	 * @param port the instance's gRPC port on 127.0.0.1
	 * @param calls how many calls to make
	 * @param longest the longest to keep calling
	 */
	public static void warmUp(int port, int calls, Duration longest) {
		ManagedChannel direct = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
		try {
			long deadline = System.nanoTime() + longest.toNanos();
			for (int i = 0; i < calls && System.nanoTime() - deadline < 0; i++) {
				try {
					ClientCalls.blockingUnaryCall(direct, SampleMethods.WORK,
							CallOptions.DEFAULT.withDeadlineAfter(longest.toNanos(), TimeUnit.NANOSECONDS),
							Int64Value.of(0));
				}
				catch (RuntimeException ex) {
					// A cold instance may fail a call; the warm-up goes on
				}
			}
		}
		finally {
			direct.shutdownNow();
		}
	}

	@Override
	public void start(Duration longest) {
		this.ticks.start();
		this.calls.start(longest, this::send);
	}

	/**
	 * {@inheritDoc}
	 * <p>
	 * The tick stream stops first: until it has, it may still need the scheduler that
	 * stopping the calls shuts down.
	 */
	@Override
	public List<RequestRecord> stop(Duration timeout) throws InterruptedException {
		this.streams = this.ticks.stop();
		return this.calls.stop(timeout);
	}

	@Override
	public List<RequestRecord> streams() {
		return this.streams;
	}

	@Override
	public void close() {
		this.ticks.stop();
		this.calls.close();
		this.channel.shutdownNow();
		try {
			this.channel.awaitTermination(CHANNEL_CLOSE_SECONDS, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			NameResolverRegistry.getDefaultRegistry().deregister(this.pods);
		}
	}

	private void send(long start) {
		if (!this.calls.tryBegin(start, null)) {
			return;
		}
		try {
			ClientCalls.asyncUnaryCall(
					this.channel.newCall(SampleMethods.WORK,
							CallOptions.DEFAULT.withDeadlineAfter(this.callTimeout.toNanos(), TimeUnit.NANOSECONDS)),
					this.work, new CallRecorder(start));
		}
		catch (RuntimeException ex) {
			record(start, Status.fromThrowable(ex), null);
		}
	}

	private void record(long start, Status status, @Nullable String instance) {
		long end = System.nanoTime();
		String detail = status.isOk() ? null
				: status.getCode() + ((status.getDescription() != null) ? ": " + status.getDescription() : "");
		this.calls.ended(new RequestRecord(start, end, outcome(status), status.getCode().value(), instance, detail));
	}

	private static Outcome outcome(Status status) {
		if (status.isOk()) {
			return Outcome.SUCCESS;
		}
		return (status.getCode() == Status.Code.DEADLINE_EXCEEDED) ? Outcome.TIMEOUT : Outcome.GRPC_ERROR;
	}

	/**
	 * Records how one call ended, and which instance answered it.
	 */
	private final class CallRecorder implements StreamObserver<StringValue> {

		private final long start;

		private @Nullable String instance;

		CallRecorder(long start) {
			this.start = start;
		}

		@Override
		public void onNext(StringValue answer) {
			this.instance = SampleMethods.instance(answer);
		}

		@Override
		public void onError(Throwable failure) {
			record(this.start, Status.fromThrowable(failure), null);
		}

		@Override
		public void onCompleted() {
			record(this.start, Status.OK, this.instance);
		}

	}

}
