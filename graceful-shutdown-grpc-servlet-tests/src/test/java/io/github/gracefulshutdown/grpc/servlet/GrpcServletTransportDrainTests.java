package io.github.gracefulshutdown.grpc.servlet;

import java.util.Iterator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import com.google.common.util.concurrent.ListenableFuture;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.grpc.GrpcCallTracker;
import io.github.gracefulshutdown.testsupport.EchoService;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.ClientCalls;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * gRPC served by Tomcat through Spring gRPC's servlet transport, drained with the web
 * server, with a real grpc-java client over h2c on 127.0.0.1.
 */
class GrpcServletTransportDrainTests {

	private final HeldWindow window = new HeldWindow();

	private ConfigurableApplicationContext context;

	private ManagedChannel channel;

	private EchoService service;

	@AfterEach
	void stopEverything() {
		this.window.release();
		if (this.context != null) {
			this.service.release();
			this.context.close();
		}
		if (this.channel != null) {
			this.channel.shutdownNow();
		}
	}

	@Test
	void callsAreCountedAsGrpcCallsAndThoseStillRunningAtTheDeadlineEndWithUnavailable() throws Exception {
		start();
		GrpcCallTracker calls = this.context.getBean(GrpcCallTracker.class);
		DrainCoordinator coordinator = this.context.getBean(DrainCoordinator.class);
		assertThat(hello()).isEqualTo("servlet");
		ListenableFuture<String> unary = ClientCalls
			.futureUnaryCall(this.channel.newCall(EchoService.BLOCK, CallOptions.DEFAULT), "block");
		Iterator<String> stream = ClientCalls.blockingServerStreamingCall(this.channel, EchoService.STREAM,
				CallOptions.DEFAULT, "subscribe");
		assertThat(stream.next()).isEqualTo("first");
		await().until(() -> this.service.entered() == 2);
		assertThat(calls.activity().inFlight()).isEqualTo(2);

		CompletableFuture<Void> close = closeInBackground();
		await().until(coordinator::isDraining);
		assertThat(hello()).as("during the window").isEqualTo("servlet");
		assertThat(calls.activity().receivedWhileDraining()).isOne();

		this.window.release();
		assertThatExceptionOfType(ExecutionException.class).as("a unary call that has not answered yet")
			.isThrownBy(() -> unary.get(30, TimeUnit.SECONDS))
			.havingCause()
			.isInstanceOfSatisfying(StatusRuntimeException.class, GrpcServletTransportDrainTests::isShuttingDown);
		assertThatExceptionOfType(StatusRuntimeException.class).as("a stream that has sent a message")
			.isThrownBy(stream::hasNext)
			.satisfies(GrpcServletTransportDrainTests::isShuttingDown);
		close.get(30, TimeUnit.SECONDS);
		assertThat(calls.activity().cutOff()).isEqualTo(2);
	}

	private static void isShuttingDown(StatusRuntimeException ex) {
		assertThat(ex.getStatus().getCode()).as(ex.getStatus().toString()).isEqualTo(Status.Code.UNAVAILABLE);
		assertThat(ex.getStatus().getDescription()).contains("shutting down");
	}

	/**
	 * Why the starter leaves the calls still running at the deadline to the web server
	 * instead of ending them with a status: on this transport a status sent before any
	 * response headers (what a unary call still at work would get) reaches the client as
	 * INTERNAL, which clients do not retry. When this test fails, the transport has
	 * learnt to, and calls could be ended with UNAVAILABLE as on Spring gRPC's own
	 * server.
	 */
	@Test
	void theTransportCannotSendAStatusWithoutResponseHeaders() {
		start();
		assertThatExceptionOfType(StatusRuntimeException.class)
			.isThrownBy(() -> ClientCalls.blockingUnaryCall(this.channel, EchoService.FAIL,
					CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "fail"))
			.satisfies((ex) -> assertThat(ex.getStatus().getCode()).isEqualTo(Status.Code.INTERNAL));
	}

	private void start() {
		this.context = new SpringApplicationBuilder(GrpcServletTestApplication.class)
			.properties("spring.main.cloud-platform=none", "graceful-shutdown.drain-on-any-close=true", "server.port=0",
					"server.address=127.0.0.1", "server.http2.enabled=true",
					"spring.lifecycle.timeout-per-shutdown-phase=1s", "graceful-shutdown.termination-grace-period=60s",
					"graceful-shutdown.safety-margin=8s")
			.initializers((context) -> context.getBeanFactory().registerSingleton("heldWindow", this.window))
			.run();
		this.service = this.context.getBean(EchoService.class);
		int port = ((WebServerApplicationContext) this.context).getWebServer().getPort();
		this.channel = NettyChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().build();
	}

	private CompletableFuture<Void> closeInBackground() {
		CompletableFuture<Void> closed = new CompletableFuture<>();
		Thread closer = new Thread(() -> {
			try {
				this.context.close();
				closed.complete(null);
			}
			catch (Throwable ex) {
				closed.completeExceptionally(ex);
			}
		}, "context-close");
		closer.start();
		return closed;
	}

	private String hello() {
		return ClientCalls.blockingUnaryCall(this.channel, EchoService.HELLO,
				CallOptions.DEFAULT.withDeadlineAfter(10, TimeUnit.SECONDS), "hello");
	}

}
