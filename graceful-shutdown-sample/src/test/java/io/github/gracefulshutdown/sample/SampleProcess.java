package io.github.gracefulshutdown.sample;

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
 * The sample application's jar running as a real JVM process, with its output captured.
 */
final class SampleProcess implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private final List<Integer> ports = new CopyOnWriteArrayList<>();

	private volatile long sigtermNanos;

	private SampleProcess(Process process) {
		this.process = process;
		this.reader = new Thread(this::readOutput, "sample-output");
		this.reader.setDaemon(true);
		this.reader.start();
		awaitLog(Pattern.compile("Started SampleApplication"), Duration.ofSeconds(60));
		for (String line : this.output) {
			Matcher matcher = PORT.matcher(line);
			if (matcher.find()) {
				this.ports.add(Integer.parseInt(matcher.group(1)));
			}
		}
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
		String java = ProcessHandle.current().info().command().orElse("java");
		// C1 alone starts the sample sooner (in about half the time on a busy 2-core
		// machine); the tests time the shutdown, not the throughput
		List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1"));
		command.addAll(jvmOptions);
		command
			.addAll(List.of("-jar", System.getProperty("sample.jar"), "--server.port=0", "--server.address=127.0.0.1"));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		// The test decides whether the sample runs on Kubernetes, not the machine it runs
		// on
		builder.environment().remove("KUBERNETES_SERVICE_HOST");
		builder.environment().remove("KUBERNETES_SERVICE_PORT");
		Process process = builder.start();
		return new SampleProcess(process);
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

	/**
	 * Sends SIGTERM, as the kubelet does. Goes through the process handle, which leaves
	 * the output stream open so the shutdown logs can still be read.
	 */
	void sigterm() {
		this.sigtermNanos = System.nanoTime();
		this.process.toHandle().destroy();
	}

	/**
	 * Waits for the process to exit by itself, then for the rest of its output.
	 * @param timeout how long to wait
	 * @return the time from SIGTERM to exit
	 * @throws InterruptedException if interrupted while waiting
	 */
	Duration awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("Process still alive " + timeout + " after SIGTERM; output:\n" + output());
		}
		Duration sigtermToExit = Duration.ofNanos(System.nanoTime() - this.sigtermNanos);
		this.reader.join(TimeUnit.SECONDS.toMillis(10));
		return sigtermToExit;
	}

	int exitValue() {
		return this.process.exitValue();
	}

	Matcher awaitLog(Pattern pattern, Duration timeout) {
		Matcher[] found = new Matcher[1];
		await().atMost(timeout).alias("log line matching " + pattern).until(() -> {
			for (String line : this.output) {
				Matcher matcher = pattern.matcher(line);
				if (matcher.find()) {
					found[0] = matcher;
					return true;
				}
			}
			if (!this.process.isAlive()) {
				throw new AssertionError("Process exited; output:\n" + output());
			}
			return false;
		});
		return found[0];
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
