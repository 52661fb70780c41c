package io.github.gracefulshutdown.e2e.haproxy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.e2e.process.ChildProcesses;
import org.awaitility.core.ConditionTimeoutException;

import static org.awaitility.Awaitility.await;

/**
 * A running HAProxy, in the foreground as a child process, with its configuration and
 * admin socket in a temporary directory of its own.
 */
public final class Haproxy implements AutoCloseable {

	private static final int START_ATTEMPTS = 3;

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

	private static final long STOP_WAIT_SECONDS = 10;

	private final Process process;

	private final Path directory;

	private final int frontendPort;

	private final HaproxyRuntimeApi runtimeApi;

	private Haproxy(Process process, Path directory, int frontendPort, HaproxyRuntimeApi runtimeApi) {
		this.process = process;
		this.directory = directory;
		this.frontendPort = frontendPort;
		this.runtimeApi = runtimeApi;
	}

	/**
	 * Starts HAProxy in front of the given servers and waits until it listens and every
	 * server is in service. Retries on another port if the chosen one was taken
	 * meanwhile.
	 * @param binary the {@code haproxy} executable
	 * @param servers the port of each pod's server, by pod name, in order
	 * @param healthChecks whether HAProxy checks each pod's readiness probe
	 * @param log where HAProxy's own output goes
	 * @param children the registry that owns the process
	 * @return the running HAProxy
	 * @throws IOException if it cannot be started
	 */
	public static Haproxy start(Path binary, Map<String, Integer> servers, boolean healthChecks, Path log,
			ChildProcesses children) throws IOException {
		if (!Files.isExecutable(binary)) {
			throw new IllegalStateException(
					"No HAProxy at " + binary + "; install it (Debian: apt-get install haproxy)");
		}
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			Path directory = Files.createTempDirectory("haproxy-");
			HaproxyConfiguration configuration = new HaproxyConfiguration(freePort(), directory.resolve("admin.sock"),
					servers, healthChecks);
			Path file = directory.resolve("haproxy.cfg");
			Files.writeString(file, configuration.render());
			Process process = children
				.start(new ProcessBuilder(binary.toString(), "-db", "-f", file.toString()).redirectErrorStream(true)
					.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())));
			Haproxy haproxy = new Haproxy(process, directory, configuration.frontendPort(),
					new HaproxyRuntimeApi(configuration.adminSocket()));
			if (haproxy.awaitServing(servers, START_TIMEOUT)) {
				return haproxy;
			}
			haproxy.close();
		}
		throw new IllegalStateException("HAProxy did not start in " + START_ATTEMPTS + " attempts; see " + log);
	}

	/**
	 * Returns the version HAProxy reports, such as {@code HAProxy 2.6.12-1+deb12u4}.
	 * @param binary the {@code haproxy} executable
	 * @return the version from the first line of {@code haproxy -v}
	 * @throws IOException if it cannot be run
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	public static String version(Path binary) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(binary.toString(), "-v").redirectErrorStream(true).start();
		try {
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
			String[] firstLine = output.lines().findFirst().orElse("").strip().split("\\s+");
			if (firstLine.length >= 3 && firstLine[1].equals("version")) {
				return "HAProxy " + firstLine[2];
			}
			return "HAProxy (unknown version)";
		}
		finally {
			process.destroyForcibly();
		}
	}

	/**
	 * Returns the URI clients send their requests to.
	 * @return the frontend's base URI
	 */
	public URI frontend() {
		return URI.create("http://127.0.0.1:" + this.frontendPort);
	}

	/**
	 * Returns the runtime API on the admin socket.
	 * @return the runtime API
	 */
	public HaproxyRuntimeApi runtimeApi() {
		return this.runtimeApi;
	}

	/**
	 * Stops HAProxy at once (SIGTERM, SIGKILL if it does not go) and deletes its
	 * temporary directory.
	 */
	@Override
	public void close() {
		try {
			this.process.destroy();
			if (!this.process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS)) {
				this.process.destroyForcibly();
				this.process.waitFor(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			this.process.destroyForcibly();
		}
		try (var files = Files.list(this.directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(this.directory);
		}
		catch (IOException ex) {
			// Only a temporary directory is left behind
		}
	}

	private boolean awaitServing(Map<String, Integer> servers, Duration timeout) {
		try {
			await().alias("HAProxy serving").atMost(timeout).pollInterval(POLL_INTERVAL).until(() -> {
				if (!this.process.isAlive()) {
					return true;
				}
				return accepts(this.frontendPort) && allUp(servers);
			});
			return this.process.isAlive();
		}
		catch (ConditionTimeoutException ex) {
			return false;
		}
	}

	private boolean allUp(Map<String, Integer> servers) {
		try {
			for (String server : servers.keySet()) {
				if (!this.runtimeApi.inService(HaproxyConfiguration.BACKEND, server)) {
					return false;
				}
			}
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

}
