package io.github.gracefulshutdown.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * A main class of the test classpath running in a JVM of its own, with its output
 * captured, so that a test can stop it with a real SIGTERM ({@link Process#destroy()} on
 * Linux) and watch the JVM's own shutdown. The environment is the test's: Kubernetes'
 * service variables are removed unless the test passes them.
 */
public final class ForkedApplication implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("(?:Tomcat|Jetty) started on port (\\d+)");

	private final Process process;

	private final List<String> output = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile long sigtermNanos;

	private ForkedApplication(Process process) {
		this.process = process;
		this.reader = new Thread(this::readOutput, "forked-application-output");
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Starts a JVM that runs the given main class with the test classpath.
	 * @param mainClass the class whose {@code main} to run
	 * @param environment environment variables to set
	 * @param arguments the program arguments
	 * @return the running JVM
	 * @throws IOException if the JVM cannot start
	 */
	public static ForkedApplication start(Class<?> mainClass, Map<String, String> environment, String... arguments)
			throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		List<String> command = new ArrayList<>(
				List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", classpath, mainClass.getName()));
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().remove("KUBERNETES_SERVICE_HOST");
		builder.environment().remove("KUBERNETES_SERVICE_PORT");
		builder.environment().putAll(environment);
		return new ForkedApplication(builder.start());
	}

	/**
	 * Waits for the application's main server to start and returns its port.
	 * @return the port
	 */
	public int awaitPort() {
		return Integer.parseInt(awaitLog(PORT, Duration.ofSeconds(60)).group(1));
	}

	/**
	 * Sends SIGTERM, as the kubelet does.
	 */
	public void sigterm() {
		this.sigtermNanos = System.nanoTime();
		this.process.toHandle().destroy();
	}

	/**
	 * Waits for the JVM to exit by itself, then for the rest of its output.
	 * @param timeout how long to wait
	 * @return the time from SIGTERM to exit
	 * @throws InterruptedException if interrupted while waiting
	 */
	public Duration awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
			throw new AssertionError("Process still alive after " + timeout + "; output:\n" + output());
		}
		Duration sigtermToExit = Duration.ofNanos(System.nanoTime() - this.sigtermNanos);
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
	 * Waits for a line of output that matches the pattern.
	 * @param pattern the pattern
	 * @param timeout how long to wait
	 * @return the match
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
	 * Returns the output so far.
	 * @return the lines of output, joined
	 */
	public String output() {
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
