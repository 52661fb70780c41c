package io.github.gracefulshutdown.e2e.grpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
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
 * Tests for {@link GrpcLoadGenerator} and {@link PodAddresses}, with real grpc-java
 * servers on 127.0.0.1 that answer the sample's unary call as the sample does.
 */
class GrpcLoadGeneratorTests {

	private static final Duration LONGEST = Duration.ofMinutes(1);

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final List<Server> servers = new ArrayList<>();

	private final Map<String, AtomicInteger> served = new ConcurrentHashMap<>();

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
			.addMethod(SampleWork.WORK,
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
		Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(work)
			.build()
			.start();
		this.servers.add(server);
		return server.getPort();
	}

}
