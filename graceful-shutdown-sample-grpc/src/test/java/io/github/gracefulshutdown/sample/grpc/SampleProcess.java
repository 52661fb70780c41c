package io.github.gracefulshutdown.sample.grpc;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.testsupport.ForkedJvm;

/**
 * The gRPC sample application's jar running as a real JVM process, with its output
 * captured.
 */
final class SampleProcess extends ForkedJvm {

	private static final Pattern GRPC_PORT = Pattern
		.compile("gRPC Server started, listening on address: \\[[^\\]]*:(\\d+)\\]");

	private final int grpcPort;

	private SampleProcess(ProcessBuilder command) throws IOException {
		super(command, "sample-grpc-output");
		awaitLog(Pattern.compile("Started SampleGrpcApplication"), Duration.ofSeconds(60));
		this.grpcPort = Integer.parseInt(awaitLog(GRPC_PORT, Duration.ofSeconds(1)).group(1));
	}

	/**
	 * Starts the sample jar with both servers on random ports of 127.0.0.1.
	 * @param arguments extra application arguments, such as
	 * {@code --graceful-shutdown.delay=2s}
	 * @return the running process
	 * @throws IOException if the process cannot start
	 */
	static SampleProcess start(String... arguments) throws IOException {
		return new SampleProcess(command(List.of(), List.of("-jar", System.getProperty("sample.jar"), "--server.port=0",
				"--server.address=127.0.0.1", "--spring.grpc.server.address=127.0.0.1:0"), arguments));
	}

	/**
	 * Returns the port of the gRPC server.
	 * @return the gRPC port
	 */
	int grpcPort() {
		return this.grpcPort;
	}

}
