package io.github.gracefulshutdown.grpc;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import io.github.gracefulshutdown.testsupport.EchoService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.NameResolverRegistry;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIf;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A Spring gRPC Netty server through the drain, with real grpc-java clients on 127.0.0.1
 * (not the in-process transport, which never sends GOAWAY).
 */
class GrpcServerDrainTests {

	private static final String SCHEME = "drain-test";

	private final ReleasableWindow window = new ReleasableWindow();

	private ConfigurableApplicationContext context;

	private EchoService service;

	private DrainCoordinator coordinator;

	private GrpcCallTracker calls;

	private Server secondServer;

	private SwitchableNameResolverProvider resolver;

	private ManagedChannel channel;

	private ManagedChannel healthChannel;

	private final List<GrpcInFlightDrainListener> listeners = new ArrayList<>();

	@BeforeEach
	void startServers() throws IOException {
		this.secondServer = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
			.addService(new EchoService("second"))
			.build()
			.start();
	}

	@AfterEach
	void stopEverything() {
		this.window.release();
		if (this.context != null) {
			this.service.release();
			this.context.close();
		}
		if (this.channel != null) {
			this.channel.shutdownNow();
			this.healthChannel.shutdownNow();
		}
		if (this.resolver != null) {
			NameResolverRegistry.getDefaultRegistry().deregister(this.resolver);
		}
		this.secondServer.shutdownNow();
	}

	@Test
	void healthTurnsNotServingAtTheStartOfTheDrainWhileCallsKeepSucceedingThroughTheWindow() throws Exception {
		start();
		HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(this.healthChannel);
		assertThat(status(health, "")).isEqualTo(ServingStatus.SERVING);
		assertThat(status(health, "readiness")).isEqualTo(ServingStatus.SERVING);
		assertThat(status(health, "liveness")).isEqualTo(ServingStatus.SERVING);
		HealthWatch watch = new HealthWatch();
		HealthGrpc.newStub(this.healthChannel).watch(HealthCheckRequest.newBuilder().setService("").build(), watch);
		await().until(() -> watch.statuses.contains(ServingStatus.SERVING));

		CompletableFuture<Void> close = TestThreads.runInBackground(this.context::close);
		await().until(this.coordinator::isDraining);

		await().until(() -> status(health, "") == ServingStatus.NOT_SERVING);
		assertThat(status(health, "readiness")).isEqualTo(ServingStatus.NOT_SERVING);
		assertThat(status(health, "liveness")).isEqualTo(ServingStatus.SERVING);
		for (int i = 0; i < 5; i++) {
			assertThat(hello()).isEqualTo("first");
		}
		assertThat(close).isNotDone();
		assertThat(this.calls.activity().receivedWhileDraining()).isEqualTo(5);
		assertThat(watch.statuses).contains(ServingStatus.NOT_SERVING);

		this.window.release();
		close.get(30, TimeUnit.SECONDS);
		assertThat(watch.end.get(30, TimeUnit.SECONDS).getCode()).as("a health watch does not hold the drain")
			.isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(this.calls.activity().cutOff()).isZero();
	}

	/**
	 * Spring Boot 4.1 writes the health of the whole server ({@code ""}) from the
	 * application's health every few seconds, on a scheduler that runs until the context
	 * closes, so through the window too. Without health probes readiness is not among the
	 * health indicators, and Spring Boot alone would write SERVING again.
	 */
	@Test
	@EnabledIf("io.github.gracefulshutdown.grpc.SpringGrpcLines#onSpringBoot41")
	void springBootsScheduledHealthUpdatesKeepTheWholeServerNotServingThroughTheWindow() {
		start("management.endpoint.health.probes.enabled=false", "spring.grpc.server.health.schedule.delay=0",
				"spring.grpc.server.health.schedule.period=50ms",
				"spring.grpc.server.health.service.readiness.include=ping");
		HealthGrpc.HealthBlockingStub health = HealthGrpc.newBlockingStub(this.healthChannel);
		await().until(() -> status(health, "") == ServingStatus.SERVING);

		TestThreads.runInBackground(this.context::close);
		await().until(this.coordinator::isDraining);

		await().until(() -> status(health, "") == ServingStatus.NOT_SERVING);
		await().during(Duration.ofMillis(500))
			.atMost(Duration.ofSeconds(10))
			.until(() -> status(health, "") == ServingStatus.NOT_SERVING
					&& status(health, "readiness") == ServingStatus.NOT_SERVING);
		assertThat(status(health, "liveness")).isEqualTo(ServingStatus.SERVING);
	}

	@Test
	void atTheEndOfTheWindowClientsMoveToAnotherServerWhileTheCallInFlightCompletes() throws Exception {
		start();
		assertThat(hello()).isEqualTo("first");
		ListenableFuture<String> inFlight = ClientCalls
			.futureUnaryCall(this.channel.newCall(EchoService.BLOCK, CallOptions.DEFAULT), "block");
		await().until(() -> this.service.entered() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(this.context::close);
		await().until(this.coordinator::isDraining);
		this.resolver.switchTo(address(this.secondServer.getPort()));
		assertThat(hello()).as("during the window, on the same connection").isEqualTo("first");

		this.window.release();
		await().until(() -> hello().equals("second"));
		assertThat(inFlight).isNotDone();
		this.service.release();
		assertThat(inFlight.get(30, TimeUnit.SECONDS)).isEqualTo("released");
		close.get(30, TimeUnit.SECONDS);
		assertThat(this.calls.activity().cutOff()).isZero();
	}

	@Test
	void aStreamStillOpenAtTheDeadlineEndsWithUnavailable() throws Exception {
		start(SpringGrpcLines.CURRENT.gracePeriodProperty() + "=1");
		Iterator<String> stream = ClientCalls.blockingServerStreamingCall(this.channel, EchoService.STREAM,
				CallOptions.DEFAULT, "subscribe");
		assertThat(stream.next()).isEqualTo("first");
		assertThat(this.service.entered()).isOne();

		CompletableFuture<Void> close = TestThreads.runInBackground(this.context::close);
		await().until(this.coordinator::isDraining);
		this.window.release();

		assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(stream::hasNext)
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE))
			.withMessageContaining("shutting down");
		close.get(30, TimeUnit.SECONDS);
		assertThat(this.calls.activity().cutOff()).isOne();
		assertThat(this.service.streamsCancelled()).as("the service's cancellation handler ran").isOne();
	}

	@Test
	void inFlightDrainListenersThatThrowOrStallDoNotHoldTheDrain() throws Exception {
		List<String> called = new CopyOnWriteArrayList<>();
		CountDownLatch stalled = new CountDownLatch(1);
		this.listeners.add(new OrderedListener(1, (timeLeft) -> {
			called.add("throwing");
			throw new IllegalStateException("listener failed");
		}));
		this.listeners.add(new OrderedListener(2, (timeLeft) -> called.add("after the throwing one")));
		this.listeners.add(new OrderedListener(3, (timeLeft) -> {
			called.add("stalling");
			await().atMost(Duration.ofSeconds(30)).until(() -> stalled.getCount() == 0);
		}));
		try {
			start(SpringGrpcLines.CURRENT.gracePeriodProperty() + "=1", "graceful-shutdown.listener-timeout=500ms");
			Iterator<String> stream = ClientCalls.blockingServerStreamingCall(this.channel, EchoService.STREAM,
					CallOptions.DEFAULT, "subscribe");
			assertThat(stream.next()).isEqualTo("first");

			CompletableFuture<Void> close = TestThreads.runInBackground(this.context::close);
			await().until(this.coordinator::isDraining);
			this.window.release();

			assertThatExceptionOfType(StatusRuntimeException.class).isThrownBy(stream::hasNext)
				.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
			close.get(30, TimeUnit.SECONDS);
			assertThat(called).containsExactly("throwing", "after the throwing one", "stalling");
			assertThat(stalled.getCount()).as("the drain did not wait for the stalled listener").isOne();
		}
		finally {
			stalled.countDown();
		}
	}

	private void start(String... properties) {
		this.context = new SpringApplicationBuilder(GrpcTestApplication.class).properties(TestDefaults.PROPERTIES)
			.properties("server.port=0", "server.address=127.0.0.1", TestServer.TOMCAT.selection(),
					"graceful-shutdown.termination-grace-period=60s")
			.properties(SpringGrpcLines.onLoopbackAtAFreePort())
			// Spring gRPC turns its health service on by itself only for the services it
			// sees before beans are created, which a @Bean method's service is not
			.properties("spring.grpc.server.health.enabled=true")
			.properties(properties)
			.initializers((context) -> {
				context.getBeanFactory().registerSingleton("testWindow", this.window);
				for (int i = 0; i < this.listeners.size(); i++) {
					context.getBeanFactory().registerSingleton("testListener" + i, this.listeners.get(i));
				}
			})
			.run();
		this.service = this.context.getBean(EchoService.class);
		this.coordinator = this.context.getBean(DrainCoordinator.class);
		this.calls = this.context.getBean(GrpcCallTracker.class);
		int port = this.context.getBean(GrpcServerLifecycle.class).getPort();
		this.resolver = new SwitchableNameResolverProvider(SCHEME, address(port));
		NameResolverRegistry.getDefaultRegistry().register(this.resolver);
		this.channel = NettyChannelBuilder.forTarget(SCHEME + ":///echo").usePlaintext().build();
		this.healthChannel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
	}

	private String hello() {
		return ClientCalls.blockingUnaryCall(this.channel, EchoService.HELLO,
				CallOptions.DEFAULT.withWaitForReady().withDeadlineAfter(10, TimeUnit.SECONDS), "hello");
	}

	private static ServingStatus status(HealthGrpc.HealthBlockingStub health, String service) {
		return health.check(HealthCheckRequest.newBuilder().setService(service).build()).getStatus();
	}

	/**
	 * Watches a health status, as client-side health checking does.
	 */
	private static final class HealthWatch implements StreamObserver<HealthCheckResponse> {

		private final List<ServingStatus> statuses = new CopyOnWriteArrayList<>();

		private final CompletableFuture<Status> end = new CompletableFuture<>();

		@Override
		public void onNext(HealthCheckResponse response) {
			this.statuses.add(response.getStatus());
		}

		@Override
		public void onError(Throwable error) {
			this.end.complete(Status.fromThrowable(error));
		}

		@Override
		public void onCompleted() {
			this.end.complete(Status.OK);
		}

	}

	/**
	 * A listener with an order, so that a test decides which is called first.
	 */
	private record OrderedListener(int order,
			GrpcInFlightDrainListener listener) implements GrpcInFlightDrainListener, Ordered {

		@Override
		public void inFlightDrainStarted(Duration timeLeft) {
			this.listener.inFlightDrainStarted(timeLeft);
		}

		@Override
		public int getOrder() {
			return this.order;
		}

	}

	private static InetSocketAddress address(int port) {
		return new InetSocketAddress("127.0.0.1", port);
	}

}
