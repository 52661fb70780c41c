package io.github.gracefulshutdown.testsupport;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;

/**
 * A gRPC service built by hand, without generated code: requests and responses are
 * strings. {@code Hello} answers with the name of the server, {@code Block} answers once
 * the test releases it, {@code Fail} answers with UNAVAILABLE, {@code Stream} sends one
 * message and never ends.
 */
public final class EchoService implements BindableService {

	public static final String SERVICE = "test.Echo";

	public static final MethodDescriptor<String, String> HELLO = method(MethodType.UNARY, "Hello");

	public static final MethodDescriptor<String, String> BLOCK = method(MethodType.UNARY, "Block");

	public static final MethodDescriptor<String, String> FAIL = method(MethodType.UNARY, "Fail");

	public static final MethodDescriptor<String, String> STREAM = method(MethodType.SERVER_STREAMING, "Stream");

	private final String serverName;

	private final CountDownLatch release = new CountDownLatch(1);

	private final AtomicInteger entered = new AtomicInteger();

	private final AtomicInteger streamsCancelled = new AtomicInteger();

	/**
	 * Creates the service.
	 * @param serverName the name {@code Hello} answers with
	 */
	public EchoService(String serverName) {
		this.serverName = serverName;
	}

	@Override
	public ServerServiceDefinition bindService() {
		return ServerServiceDefinition.builder(SERVICE)
			.addMethod(HELLO, ServerCalls.asyncUnaryCall((request, response) -> {
				response.onNext(this.serverName);
				response.onCompleted();
			}))
			.addMethod(BLOCK, ServerCalls.asyncUnaryCall((request, response) -> {
				this.entered.incrementAndGet();
				try {
					this.release.await(30, TimeUnit.SECONDS);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
				response.onNext("released");
				response.onCompleted();
			}))
			.addMethod(FAIL,
					ServerCalls.asyncUnaryCall((request, response) -> response
						.onError(Status.UNAVAILABLE.withDescription("failing").asRuntimeException())))
			.addMethod(STREAM, ServerCalls.asyncServerStreamingCall((request, response) -> {
				this.entered.incrementAndGet();
				((ServerCallStreamObserver<String>) response)
					.setOnCancelHandler(this.streamsCancelled::incrementAndGet);
				response.onNext("first");
			}))
			.build();
	}

	/**
	 * Lets the blocked calls answer.
	 */
	public void release() {
		this.release.countDown();
	}

	/**
	 * Returns how many {@code Block} and {@code Stream} calls started.
	 * @return the number of calls
	 */
	public int entered() {
		return this.entered.get();
	}

	/**
	 * Returns how many {@code Stream} calls the service saw cancelled.
	 * @return the number of cancelled streams
	 */
	public int streamsCancelled() {
		return this.streamsCancelled.get();
	}

	private static MethodDescriptor<String, String> method(MethodType type, String name) {
		return MethodDescriptor.<String, String>newBuilder()
			.setType(type)
			.setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, name))
			.setRequestMarshaller(StringMarshaller.INSTANCE)
			.setResponseMarshaller(StringMarshaller.INSTANCE)
			.build();
	}

	private enum StringMarshaller implements MethodDescriptor.Marshaller<String> {

		INSTANCE;

		@Override
		public InputStream stream(String value) {
			return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
		}

		@Override
		public String parse(InputStream stream) {
			try {
				return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

}
