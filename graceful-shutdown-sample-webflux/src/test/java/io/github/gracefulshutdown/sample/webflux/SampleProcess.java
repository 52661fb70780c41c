package io.github.gracefulshutdown.sample.webflux;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.testsupport.ForkedJvm;

/**
 * The WebFlux sample application's jar running as a real JVM process, with its output
 * captured.
 */
final class SampleProcess extends ForkedJvm {

	private static final Pattern PORT = Pattern.compile("Netty started on port (\\d+)");

	private final int port;

	private SampleProcess(ProcessBuilder command) throws IOException {
		super(command, "sample-webflux-output");
		awaitLog(Pattern.compile("Started SampleWebFluxApplication"), Duration.ofSeconds(60));
		this.port = Integer.parseInt(logMatches(PORT).get(0).group(1));
	}

	/**
	 * Starts the sample jar on a random port of 127.0.0.1.
	 * @param arguments extra application arguments, such as
	 * {@code --graceful-shutdown.delay=2s}
	 * @return the running process
	 * @throws IOException if the process cannot start
	 */
	static SampleProcess start(String... arguments) throws IOException {
		return new SampleProcess(command(List.of(),
				List.of("-jar", System.getProperty("sample.jar"), "--server.port=0", "--server.address=127.0.0.1"),
				arguments));
	}

	/**
	 * Returns the main port.
	 * @return the port of the first server to start
	 */
	int port() {
		return this.port;
	}

}
