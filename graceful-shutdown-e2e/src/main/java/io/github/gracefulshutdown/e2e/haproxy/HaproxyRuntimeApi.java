package io.github.gracefulshutdown.e2e.haproxy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * HAProxy's runtime API on its admin socket: one command per connection, answered in
 * text, each within a deadline.
 */
public final class HaproxyRuntimeApi {

	private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(5);

	private static final List<String> ERRORS = List.of("no such", "unknown command", "require", "invalid",
			"permission denied");

	private final Path socket;

	/**
	 * Creates a client of the admin socket at the given path.
	 * @param socket the path of the admin socket
	 */
	public HaproxyRuntimeApi(Path socket) {
		this.socket = socket;
	}

	/**
	 * Sends one command and returns HAProxy's answer.
	 * @param command the command, such as {@code show stat}
	 * @return the answer
	 * @throws IOException if the socket cannot be used or HAProxy does not answer within
	 * five seconds
	 */
	public String execute(String command) throws IOException {
		long deadline = System.nanoTime() + COMMAND_TIMEOUT.toNanos();
		try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
			channel.connect(UnixDomainSocketAddress.of(this.socket));
			ByteBuffer request = ByteBuffer.wrap((command + "\n").getBytes(StandardCharsets.US_ASCII));
			while (request.hasRemaining()) {
				channel.write(request);
			}
			channel.configureBlocking(false);
			ByteArrayOutputStream answer = new ByteArrayOutputStream();
			ByteBuffer buffer = ByteBuffer.allocate(8192);
			try (Selector selector = Selector.open()) {
				channel.register(selector, SelectionKey.OP_READ);
				while (true) {
					long remainingMillis = (deadline - System.nanoTime()) / 1_000_000;
					if (remainingMillis <= 0) {
						throw new SocketTimeoutException("HAProxy did not answer '" + command + "' within "
								+ COMMAND_TIMEOUT.toSeconds() + " s");
					}
					selector.select(remainingMillis);
					selector.selectedKeys().clear();
					int read = channel.read(buffer);
					if (read < 0) {
						return answer.toString(StandardCharsets.US_ASCII);
					}
					answer.write(buffer.array(), 0, buffer.position());
					buffer.clear();
				}
			}
		}
	}

	/**
	 * Points a server at another address, as a replacement pod has a new one.
	 * @param backend the backend
	 * @param server the server
	 * @param port the new port on 127.0.0.1
	 * @throws IOException if the command fails
	 */
	public void setServerAddress(String backend, String server, int port) throws IOException {
		executeChecked("set server " + backend + "/" + server + " addr 127.0.0.1 port " + port);
	}

	/**
	 * Sets the administrative state of a server.
	 * @param backend the backend
	 * @param server the server
	 * @param state {@code ready}, {@code drain} or {@code maint}
	 * @throws IOException if the command fails
	 */
	public void setServerState(String backend, String server, String state) throws IOException {
		executeChecked("set server " + backend + "/" + server + " state " + state);
	}

	/**
	 * Returns the status of a server as the statistics show it, such as {@code UP},
	 * {@code DOWN}, {@code MAINT}, {@code UP 1/2} while a check result is confirmed, or
	 * {@code no check} for a server without health checks.
	 * @param backend the backend
	 * @param server the server
	 * @return the status
	 * @throws IOException if the statistics cannot be read
	 */
	public String serverStatus(String backend, String server) throws IOException {
		return ServerStatistics.status(execute("show stat"), backend, server);
	}

	/**
	 * Returns whether a server receives traffic, health-checked or not.
	 * @param backend the backend
	 * @param server the server
	 * @return {@code true} if it is in service
	 * @throws IOException if the statistics cannot be read
	 */
	public boolean inService(String backend, String server) throws IOException {
		return ServerStatistics.inService(serverStatus(backend, server));
	}

	private void executeChecked(String command) throws IOException {
		String answer = execute(command);
		String lowerCase = answer.toLowerCase(Locale.ROOT);
		if (ERRORS.stream().anyMatch(lowerCase::contains)) {
			throw new IOException("HAProxy refused '" + command + "': " + answer.strip());
		}
	}

}
