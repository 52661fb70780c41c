package io.github.gracefulshutdown.e2e.grpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.Int64Value;
import com.google.protobuf.StringValue;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.grpc.Server;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GrpcLoadGenerator}, {@link PodAddresses} and
 * {@link ResumingTickStream}, with real grpc-java servers on 127.0.0.1 that answer the
 * sample's unary call and stream ticks as the sample does.
 */
class GrpcLoadGeneratorTests {

	private static final Duration LONGEST = Duration.ofMinutes(1);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final long TICKS_PER_STREAM = 3;

	private static final int ENDED_STREAMS = 3;

	private final List<Server> servers = new ArrayList<>();

	private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

	/**
	 * The first tick each subscription asked for, in order.
	 */
	private final List<Long> subscriptions = new CopyOnWriteArrayList<>();

	private volatile boolean cutFirstStream;

	private final PodAddresses pods = new PodAddresses();

	private final GrpcLoadGenerator load = new GrpcLoadGenerator(this.pods, 50, Duration.ZERO, TIMEOUT);

	@AfterEach
	void stop() {
		this.load.close();
		this.servers.forEach(Server::shutdownNow);
	}

	@Test
	void callsGoRoundRobinToThePodsAndARemovedPodGetsNoMoreCallsOnceItsReplacementIsAdded() throws Exception {
		this.pods.add("pod1", "pod1-v1", start("pod1-v1"));
		this.pods.add("pod2", "pod2-v1", start("pod2-v1"));
		this.load.start(LONGEST);
		await().atMost(TIMEOUT).until(() -> served("pod1-v1") > 0 && served("pod2-v1") > 0);

		this.pods.remove("pod1");
		this.pods.add("pod1", "pod1-v2", start("pod1-v2"));
		await().atMost(TIMEOUT).until(() -> served("pod1-v2") > 0);
		List<RequestRecord> calls = this.load.stop(TIMEOUT);

		assertThat(calls).isNotEmpty().allMatch((call) -> call.outcome() == Outcome.SUCCESS);
		// The replacement was added after the removal: once it has answered, the channel
		// picks from the new list only
		long replacementAnswered = calls.stream()
			.filter((call) -> "pod1-v2".equals(call.instance()))
			.mapToLong(RequestRecord::endNanos)
			.min()
			.orElseThrow();
		assertThat(calls).filteredOn((call) -> call.startNanos() - replacementAnswered > 0)
			.isNotEmpty()
			.extracting(RequestRecord::instance)
			.containsOnly("pod1-v2", "pod2-v1");
	}

	@Test
	void aCallThatFailsIsRecordedWithItsStatusCode() throws Exception {
		this.pods.add("pod1", "pod1-v1", start("pod1-v1", Status.UNAVAILABLE.withDescription("going away")));
		this.load.start(LONGEST);
		await().atMost(TIMEOUT).until(() -> served("pod1-v1") > 0);

		RequestRecord call = this.load.stop(TIMEOUT).get(0);
		assertThat(call.outcome()).isEqualTo(Outcome.GRPC_ERROR);
		assertThat(call.status()).isEqualTo(Status.Code.UNAVAILABLE.value());
		assertThat(call.detail()).isEqualTo("UNAVAILABLE: going away");
	}

	@Test
	void theTickStreamResumesFromTheNextTickWhenTheServerEndsItOrCutsItOff() throws Exception {
		this.pods.add("pod1", "pod1-v1", start("pod1-v1"));
		this.cutFirstStream = true;
		this.load.start(LONGEST);
		await().atMost(TIMEOUT).until(() -> this.subscriptions.size() > ENDED_STREAMS);

		this.load.stop(TIMEOUT);
		List<RequestRecord> streams = this.load.streams();
		assertThat(this.subscriptions).containsExactly(0L, TICKS_PER_STREAM, 2 * TICKS_PER_STREAM,
				3 * TICKS_PER_STREAM);
		assertThat(streams).hasSize(ENDED_STREAMS);
		assertThat(streams.get(0).outcome()).isEqualTo(Outcome.GRPC_ERROR);
		assertThat(streams.get(0).status()).isEqualTo(Status.Code.UNAVAILABLE.value());
		assertThat(streams.get(0).detail()).isEqualTo("UNAVAILABLE: cut off; ticks 0 to 2");
		assertThat(streams.get(1).outcome()).isEqualTo(Outcome.SUCCESS);
		assertThat(streams.get(1).detail()).isEqualTo("ticks 3 to 5");
	}

	private int served(String instance) {
		AtomicInteger calls = this.served.get(instance);
		return (calls != null) ? calls.get() : 0;
	}

	private int start(String instance) throws IOException {
		return start(instance, Status.OK);
	}

	private int start(String instance, Status status) throws IOException {
		AtomicInteger calls = this.served.computeIfAbsent(instance, (name) -> new AtomicInteger());
		ServerServiceDefinition work = ServerServiceDefinition.builder("sample.Work")
			.addMethod(SampleMethods.WORK,
					ServerCalls.asyncUnaryCall((Int64Value millis, StreamObserver<StringValue> answer) -> {
						calls.incrementAndGet();
						if (status.isOk()) {
							answer.onNext(StringValue.of("worked 0 ms on " + instance));
							answer.onCompleted();
						}
						else {
							answer.onError(status.asRuntimeException());
						}
					}))
			.build();
		ServerServiceDefinition ticks = ServerServiceDefinition.builder("sample.Ticks")
			.addMethod(SampleMethods.SUBSCRIBE, ServerCalls.asyncServerStreamingCall(this::subscribe))
			.build();
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(work)
			.addService(ticks)
			.build()
			.start();
		this.servers.add(server);
		return server.getPort();
	}

	/**
	 * Sends a few ticks from the one asked for, then ends the first streams: the first
	 * one with UNAVAILABLE when the test cuts it off, the others cleanly; later streams
	 * stay open, as the sample's do.
	 */
	private void subscribe(Int64Value from, StreamObserver<Int64Value> ticks) {
		boolean first = this.subscriptions.isEmpty();
		this.subscriptions.add(from.getValue());
		for (long tick = from.getValue(); tick < from.getValue() + TICKS_PER_STREAM; tick++) {
			ticks.onNext(Int64Value.of(tick));
		}
		if (this.subscriptions.size() > ENDED_STREAMS) {
			return;
		}
		if (first && this.cutFirstStream) {
			ticks.onError(Status.UNAVAILABLE.withDescription("cut off").asRuntimeException());
		}
		else {
			ticks.onCompleted();
		}
	}

}
