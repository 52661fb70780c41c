package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.testsupport.ForkedJvm;

/**
 * The sample application's jar running as a real JVM process, with its output captured.
 */
final class SampleProcess extends ForkedJvm {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final List<Integer> ports;

	private SampleProcess(ProcessBuilder command) throws IOException {
		super(command, "sample-output");
		awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
		this.ports = logMatches(PORT).stream().map((matcher) -> Integer.parseInt(matcher.group(1))).toList();
	}

	/**
	 * Starts the sample jar on a random port of 127.0.0.1.
	 * @param arguments extra application arguments, such as
	 * {@code --graceful-shutdown.delay=2s}
	 * @return the running process
	 * @throws IOException if the process cannot start
	 */
	static SampleProcess start(String... arguments) throws IOException {
		return start(List.of(), arguments);
	}

	/**
	 * Starts the sample jar on a random port of 127.0.0.1.
	 * @param jvmOptions extra options of the JVM, such as
	 * {@code -Dspring.aot.enabled=true}
	 * @param arguments extra application arguments
	 * @return the running process
	 * @throws IOException if the process cannot start
	 */
	static SampleProcess start(List<String> jvmOptions, String... arguments) throws IOException {
		return new SampleProcess(command(jvmOptions,
				List.of("-jar", System.getProperty("sample.jar"), "--server.port=0", "--server.address=127.0.0.1"),
				arguments));
	}

	/**
	 * Returns the main port.
	 * @return the port of the first server to start
	 */
	int port() {
		return this.ports.get(0);
	}

	/**
	 * Returns the management port, when the management server has one of its own; it
	 * starts after the main server.
	 * @return the management port
	 */
	int managementPort() {
		return this.ports.get(1);
	}

}
