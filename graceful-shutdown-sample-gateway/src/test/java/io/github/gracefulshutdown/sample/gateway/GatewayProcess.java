package io.github.gracefulshutdown.sample.gateway;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * The sample gateway's jar running as a real JVM process, with its output captured.
 */
final class GatewayProcess implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("Netty started on port (\\d+)");

	/**
	 * Generous: the gateway starts in seconds, but on a busy machine it may take a
	 * minute.
	 */
	private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private final int port;

	private volatile long sigtermNanos;

	private GatewayProcess(Process process) {
		this.process = process;
		this.reader = new Thread(this::readOutput, "sample-gateway-output");
		this.reader.setDaemon(true);
		this.reader.start();
		this.port = Integer.parseInt(awaitLog(PORT).group(1));
		awaitLog(Pattern.compile("Started SampleGatewayApplication"));
	}

	/**
	 * Starts the sample gateway's jar on a random port of 127.0.0.1.
	 * @param arguments application arguments, such as
	 * {@code --sample.backend-uri=http://127.0.0.1:8081}
	 * @return the running process
	 * @throws IOException if the process cannot start
	 */
	static GatewayProcess start(String... arguments) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		// C1 alone starts the gateway sooner on a busy machine; the tests time the
		// shutdown, not the throughput
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar",
				System.getProperty("sample.jar"), "--server.port=0", "--server.address=127.0.0.1"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		// The test decides whether the gateway runs on Kubernetes, not the machine it
		// runs on
		builder.environment().remove("KUBERNETES_SERVICE_HOST");
		builder.environment().remove("KUBERNETES_SERVICE_PORT");
		return new GatewayProcess(builder.start());
	}

	int port() {
		return this.port;
	}

	/**
	 * Sends SIGTERM, as the kubelet does. Goes through the process handle, which leaves
	 * the output stream open so the shutdown logs can still be read.
	 */
	void sigterm() {
		this.sigtermNanos = System.nanoTime();
		this.process.toHandle().destroy();
	}

	Duration sinceSigterm() {
		return Duration.ofNanos(System.nanoTime() - this.sigtermNanos);
	}

	/**
	 * Waits for the process to exit by itself, then for the rest of its output.
	 * @param timeout how long to wait
	 * @return the time from SIGTERM to exit
	 * @throws InterruptedException if interrupted while waiting
	 */
	Duration awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("Gateway still alive " + timeout + " after SIGTERM; output:\n" + output());
		}
		Duration sigtermToExit = sinceSigterm();
		this.reader.join(TimeUnit.SECONDS.toMillis(10));
		return sigtermToExit;
	}

	int exitValue() {
		return this.process.exitValue();
	}

	long countLogLines(Pattern pattern) {
		return this.output.stream().filter((line) -> pattern.matcher(line).find()).count();
	}

	String output() {
		return String.join("\n", this.output);
	}

	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	private Matcher awaitLog(Pattern pattern) {
		Matcher[] found = new Matcher[1];
		await().atMost(START_TIMEOUT).alias("log line matching " + pattern).until(() -> {
			for (String line : this.output) {
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					found[0] = matcher;
					return true;
				}
			}
			if (!this.process.isAlive()) {
				throw new AssertionError("Gateway exited; output:\n" + output());
			}
			return false;
		});
		return found[0];
	}

	private void readOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.add(line);
			}
		}
		catch (IOException ex) {
			// The process ended
		}
	}

}
