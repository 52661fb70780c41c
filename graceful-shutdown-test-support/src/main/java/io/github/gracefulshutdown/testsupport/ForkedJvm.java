package io.github.gracefulshutdown.testsupport;

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
 * A JVM of its own, started by a test, with its output captured line by line, so that the
 * test can wait for its logs, stop it with a real SIGTERM as the kubelet does, and watch
 * its own shutdown. Each test module extends it with what its JVM runs and the ports it
 * logs.
 */
public class ForkedJvm implements AutoCloseable {

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile long sigtermNanos;

	/**
	 * Starts the JVM, its standard error merged into its output.
	 * @param command the command, built by {@link #command(List, List, String...)}
	 * @param outputThreadName the name of the thread that reads the output
	 * @throws IOException if the JVM cannot start
	 */
	protected ForkedJvm(ProcessBuilder command, String outputThreadName) throws IOException {
		Process process = command.redirectErrorStream(true).start();
		List<String> output = this.output;
		this.process = process;
		this.reader = new Thread(() -> readLines(process, output), outputThreadName);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Returns the command of a JVM for a test: the launcher of the JVM that runs the
	 * test, a small heap and the C1 compiler alone (it starts an application in about
	 * half the time on a busy 2-core machine; the tests time shutdowns, not throughput),
	 * then what it runs. Its environment is the test's without Kubernetes' service
	 * variables: the test decides whether the application runs on Kubernetes, not the
	 * machine it runs on.
	 * @param jvmOptions more options of the JVM, such as
	 * {@code -Dspring.aot.enabled=true}
	 * @param launch what the JVM runs, such as {@code -jar <jar>}, with the arguments
	 * every run of it takes
	 * @param arguments the arguments of this run
	 * @return the command
	 */
	protected static ProcessBuilder command(List<String> jvmOptions, List<String> launch, String... arguments) {
		List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"),
				"-Xmx256m", "-XX:TieredStopAtLevel=1"));
		command.addAll(jvmOptions);
		command.addAll(launch);
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command);
		builder.environment().remove("KUBERNETES_SERVICE_HOST");
		builder.environment().remove("KUBERNETES_SERVICE_PORT");
		return builder;
	}

	/**
	 * Sends SIGTERM, as the kubelet does. Goes through the process handle, which leaves
	 * the output stream open so the shutdown logs can still be read.
	 */
	public void sigterm() {
		this.sigtermNanos = System.nanoTime();
		this.process.toHandle().destroy();
	}

	/**
	 * Returns the time since SIGTERM was sent.
	 * @return the time since {@link #sigterm()}
	 */
	public Duration sinceSigterm() {
		return Duration.ofNanos(System.nanoTime() - this.sigtermNanos);
	}

	/**
	 * Waits for the JVM to exit by itself, then for the rest of its output.
	 * @param timeout how long to wait
	 * @return the time from SIGTERM to exit
	 * @throws InterruptedException if interrupted while waiting
	 */
	public Duration awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("Process still alive " + timeout + " after SIGTERM; output:\n" + output());
		}
		Duration sigtermToExit = sinceSigterm();
		this.reader.join(TimeUnit.SECONDS.toMillis(10));
		return sigtermToExit;
	}

	/**
	 * Returns the exit status of the JVM.
	 * @return the exit status
	 */
	public int exitValue() {
		return this.process.exitValue();
	}

	/**
	 * Waits for a line of output that matches the pattern; fails as soon as the JVM exits
	 * without one.
	 * @param pattern the pattern
	 * @param timeout how long to wait
	 * @return the match in the first such line
	 */
	public Matcher awaitLog(Pattern pattern, Duration timeout) {
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

	/**
	 * Returns the matches of a pattern in the output so far, one for each line that has
	 * one, in order.
	 * @param pattern the pattern
	 * @return the matches
	 */
	public List<Matcher> logMatches(Pattern pattern) {
		return this.output.stream().map(pattern::matcher).filter(Matcher::find).toList();
	}

	/**
	 * Counts the lines of output so far that match the pattern.
	 * @param pattern the pattern
	 * @return the number of matching lines
	 */
	public long countLogLines(Pattern pattern) {
		return logMatches(pattern).size();
	}

	/**
	 * Returns the output so far.
	 * @return the lines of output, joined
	 */
	public String output() {
		return String.join("\n", this.output);
	}

	/**
	 * Kills the JVM if it is still alive.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
	}

	private static void readLines(Process process, List<String> output) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				output.add(line);
			}
		}
		catch (IOException ex) {
			// The process ended
		}
	}

}
