package io.github.gracefulshutdown.sample.gateway;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.testsupport.ForkedJvm;

/**
 * The sample gateway's jar running as a real JVM process, with its output captured.
 */
final class GatewayProcess extends ForkedJvm {

	private static final Pattern PORT = Pattern.compile("Netty started on port (\\d+)");

	/**
	 * Generous: the gateway starts in seconds, but on a busy machine it may take a
	 * minute.
	 */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private final int port;

	private GatewayProcess(ProcessBuilder command) throws IOException {
		super(command, "sample-gateway-output");
		this.port = Integer.parseInt(awaitLog(PORT, START_TIMEOUT).group(1));
		awaitLog(Pattern.compile("Started SampleGatewayApplication"), START_TIMEOUT);
	}

	/**
	 * Starts the sample gateway's jar on a random port of 127.0.0.1.
	 * @param arguments application arguments, such as
	 * {@code --sample.backend-uri=http://127.0.0.1:8081}
	 * @return the running process
	 * @throws IOException if the process cannot start
	 */
	static GatewayProcess start(String... arguments) throws IOException {
		return new GatewayProcess(command(List.of(),
				List.of("-jar", System.getProperty("sample.jar"), "--server.port=0", "--server.address=127.0.0.1"),
				arguments));
	}

	int port() {
		return this.port;
	}

}
