package io.github.gracefulshutdown.e2e.process;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;

/**
 * One instance of the sample application: a JVM running its executable jar, as the
 * container of a pod. Its output is kept in memory, with the time each line was read, and
 * copied to a log file.
 */
public final class SampleInstance implements AutoCloseable {

	private static final Pattern PORT = Pattern.compile("(?:Tomcat|Jetty|Netty) started on port (\\d+)");

	private static final Pattern GRPC_PORT = Pattern
		.compile("gRPC Server started, listening on address: \\[[^\\]]*:(\\d+)\\]");

	/**
	 * Logged once the application context has started, after every server it runs has
	 * logged its port.
	 */
	private static final Pattern STARTED = Pattern.compile("Started \\S+ in ");

	private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

	private static final long LAST_OUTPUT_WAIT_MILLIS = 5_000;

	private static final long KILL_WAIT_SECONDS = 10;

	private final String name;

	private final Process process;

	private final Path logFile;

	private final List<OutputLine> output = new CopyOnWriteArrayList<>();

	private final Thread reader;

	private volatile int port = -1;

	private volatile int grpcPort = -1;

	private volatile long exitNanos;

	SampleInstance(String name, Process process, Path logFile) {
		this.name = name;
		this.process = process;
		this.logFile = logFile;
		this.reader = new Thread(this::copyOutput, "output-" + name);
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Returns the name of this instance, which it sends in the {@code X-Instance} header.
	 * @return the instance name
	 */
	public String name() {
		return this.name;
	}

	/**
	 * Returns the port the instance listens on, once it has started.
	 * @return the HTTP port
	 * @throws IllegalStateException if the web server has not started yet
	 */
	public int port() {
		if (this.port < 0) {
			throw new IllegalStateException(this.name + " has not started its web server yet");
		}
		return this.port;
	}

	/**
	 * Returns the port that the load goes to, once the instance is ready: the gRPC
	 * server's when the application runs one, the web server's otherwise.
	 * @return the port for the load
	 * @throws IllegalStateException if the instance is not ready yet
	 */
	public int servingPort() {
		return (this.grpcPort >= 0) ? this.grpcPort : port();
	}

	/**
	 * Waits until the application has started (with its web server, and its gRPC server
	 * if it runs one) and the readiness probe answers 200.
	 * @param timeout the longest to wait
	 * @throws org.awaitility.core.ConditionTimeoutException if it is not ready in time
	 * @throws IllegalStateException if the process exits meanwhile
	 */
	public void awaitReady(Duration timeout) {
		await().alias(this.name + " ready").atMost(timeout).pollInterval(POLL_INTERVAL).until(() -> {
			if (!this.process.isAlive()) {
				throw new IllegalStateException(this.name + " exited with " + this.process.exitValue()
						+ " before it was ready; see " + this.logFile);
			}
			if (this.port < 0 && firstMatch(STARTED).isPresent()) {
				firstMatch(GRPC_PORT).ifPresent((matcher) -> this.grpcPort = Integer.parseInt(matcher.group(1)));
				firstMatch(PORT).ifPresent((matcher) -> this.port = Integer.parseInt(matcher.group(1)));
			}
			return this.port >= 0 && readinessStatus() == 200;
		});
	}

	/**
	 * Sends requests one after the other straight to the instance, as a pod serves for a
	 * while before a rollout begins: a fresh JVM answers its first requests slowly
	 * (classes to load, code not compiled yet), and a gateway opens its connections to
	 * the backend on them. Whatever they answer, the requests stop at the given count or
	 * time.
	 * @param path the path to request, such as {@code /work?millis=0}
	 * @param requests how many requests to send
	 * @param longest the longest to keep sending
	 */
	public void warmUp(String path, int requests, Duration longest) {
		long deadline = System.nanoTime() + longest.toNanos();
		for (int i = 0; i < requests && System.nanoTime() - deadline < 0; i++) {
			status(path);
		}
	}

	/**
	 * Sends SIGTERM through the process handle, which, unlike {@link Process#destroy()},
	 * leaves the output pipe open so the shutdown logs can still be read.
	 */
	public void sigterm() {
		this.process.toHandle().destroy();
	}

	/**
	 * Sends SIGKILL.
	 */
	public void sigkill() {
		this.process.destroyForcibly();
	}

	/**
	 * Waits for the process to exit, then for the rest of its output.
	 * @param timeout the longest to wait for the exit
	 * @return {@code true} if it exited, {@code false} if it is still alive
	 * @throws InterruptedException if interrupted while waiting
	 */
	public boolean awaitExit(Duration timeout) throws InterruptedException {
		if (!this.process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			return false;
		}
		if (this.exitNanos == 0) {
			this.exitNanos = System.nanoTime();
		}
		this.reader.join(LAST_OUTPUT_WAIT_MILLIS);
		return true;
	}

	/**
	 * Returns when {@link #awaitExit(Duration)} saw the process exit.
	 * @return the exit time in {@link System#nanoTime()}, or 0 if not seen yet
	 */
	public long exitNanos() {
		return this.exitNanos;
	}

	/**
	 * Returns the exit code of the process.
	 * @return the exit code
	 * @throws IllegalThreadStateException if it has not exited
	 */
	public int exitCode() {
		return this.process.exitValue();
	}

	/**
	 * Returns when the first output line matching the pattern was read.
	 * @param pattern what to look for
	 * @return the time in {@link System#nanoTime()}, or empty if no line matches
	 */
	public OptionalLong firstLineNanos(Pattern pattern) {
		for (OutputLine line : this.output) {
			if (pattern.matcher(line.text()).find()) {
				return OptionalLong.of(line.readNanos());
			}
		}
		return OptionalLong.empty();
	}

	/**
	 * Kills the process if it is still alive and waits for it to go.
	 */
	@Override
	public void close() {
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
		try {
			this.process.waitFor(KILL_WAIT_SECONDS, TimeUnit.SECONDS);
			this.reader.join(LAST_OUTPUT_WAIT_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public String toString() {
		return this.name;
	}

	private Optional<Matcher> firstMatch(Pattern pattern) {
		for (OutputLine line : this.output) {
			Matcher matcher = pattern.matcher(line.text());
			if (matcher.find()) {
				return Optional.of(matcher);
			}
		}
		return Optional.empty();
	}

	private int readinessStatus() {
		return status("/actuator/health/readiness");
	}

	private int status(String path) {
		try {
			HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + this.port + path)
				.toURL()
				.openConnection();
			connection.setConnectTimeout((int) PROBE_TIMEOUT.toMillis());
			connection.setReadTimeout((int) PROBE_TIMEOUT.toMillis());
			try {
				return connection.getResponseCode();
			}
			finally {
				connection.disconnect();
			}
		}
		catch (IOException ex) {
			return -1;
		}
	}

	private void copyOutput() {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8));
				BufferedWriter log = Files.newBufferedWriter(this.logFile)) {
			String line;
			while ((line = reader.readLine()) != null) {
				this.output.add(new OutputLine(System.nanoTime(), line));
				log.write(line);
				log.newLine();
				log.flush();
			}
		}
		catch (IOException ex) {
			// The process ended, or the log file cannot be written: the lines read so far
			// stay available
		}
	}

}
