package io.github.gracefulshutdown.grpc;

import java.io.InputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.Status;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of {@link GrpcCallTracker} per unary call, against a service that answers at once:
 * what the starter adds to every gRPC call, outside a drain and during one. Each call
 * goes through the steps the server drives: the interceptor (or the service alone) starts
 * the call, the request arrives, the client half-closes, the service sends headers, one
 * message and the trailers, and the call completes. The call is a stand-in that hands
 * what it is sent to the black hole, so no transport is measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class GrpcCallTrackerBenchmark {

	private static final MethodDescriptor<String, String> METHOD = MethodDescriptor.<String, String>newBuilder()
		.setType(MethodType.UNARY)
		.setFullMethodName(MethodDescriptor.generateFullMethodName("benchmark.Orders", "Get"))
		.setRequestMarshaller(UnusedMarshaller.INSTANCE)
		.setResponseMarshaller(UnusedMarshaller.INSTANCE)
		.build();

	/**
	 * The interceptor under test, shared by all benchmark threads as it is by a server's
	 * executor threads.
	 */
	@State(Scope.Benchmark)
	public static class Tracker {

		@Param({ "false", "true" })
		public boolean draining;

		GrpcCallTracker tracker;

		@Setup(Level.Trial)
		public void setUp() {
			DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of,
					Clock.systemUTC());
			if (this.draining) {
				coordinator.startDrain(DrainTrigger.APPLICATION);
			}
			this.tracker = new GrpcCallTracker(coordinator, new RequestActivity());
		}

	}

	/**
	 * One call, its metadata and the service per benchmark thread, reused for every call.
	 */
	@State(Scope.Thread)
	public static class Call {

		final Metadata headers = new Metadata();

		ConsumingServerCall call;

		ServerCallHandler<String, String> service;

		@Setup(Level.Trial)
		public void setUp(Blackhole blackhole) {
			this.call = new ConsumingServerCall(blackhole);
			this.service = new AnsweringService(new Metadata());
		}

	}

	@Benchmark
	public void withoutTracker(Call call) {
		complete(call.service.startCall(call.call, call.headers));
	}

	@Benchmark
	public void withTracker(Tracker tracker, Call call) {
		complete(tracker.tracker.interceptCall(call.call, call.headers, call.service));
	}

	private static void complete(ServerCall.Listener<String> listener) {
		listener.onMessage("order 42");
		listener.onHalfClose();
		listener.onComplete();
	}

	/**
	 * A unary service that answers when the client half-closes, as a generated unary
	 * handler does; its listener stands for the one grpc-java builds per call.
	 */
	static final class AnsweringService implements ServerCallHandler<String, String> {

		private final Metadata trailers;

		AnsweringService(Metadata trailers) {
			this.trailers = trailers;
		}

		@Override
		public ServerCall.Listener<String> startCall(ServerCall<String, String> call, Metadata headers) {
			call.request(2);
			return new ServerCall.Listener<>() {

				@Override
				public void onHalfClose() {
					call.sendHeaders(headers);
					call.sendMessage("order");
					call.close(Status.OK, AnsweringService.this.trailers);
				}

			};
		}

	}

	/**
	 * A call that hands everything it is sent to the black hole, so that nothing is
	 * optimized away.
	 */
	static final class ConsumingServerCall extends ServerCall<String, String> {

		private final Blackhole blackhole;

		ConsumingServerCall(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public void request(int numMessages) {
			this.blackhole.consume(numMessages);
		}

		@Override
		public void sendHeaders(Metadata headers) {
			this.blackhole.consume(headers);
		}

		@Override
		public void sendMessage(String message) {
			this.blackhole.consume(message);
		}

		@Override
		public void close(Status status, Metadata trailers) {
			this.blackhole.consume(status);
		}

		@Override
		public boolean isCancelled() {
			return false;
		}

		@Override
		public MethodDescriptor<String, String> getMethodDescriptor() {
			return METHOD;
		}

	}

	/**
	 * Messages never cross a transport here.
	 */
	private enum UnusedMarshaller implements MethodDescriptor.Marshaller<String> {

		INSTANCE;

		@Override
		public InputStream stream(String value) {
			throw new UnsupportedOperationException();
		}

		@Override
		public String parse(InputStream stream) {
			throw new UnsupportedOperationException();
		}

	}

}
