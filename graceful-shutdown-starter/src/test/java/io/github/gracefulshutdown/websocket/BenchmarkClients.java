package io.github.gracefulshutdown.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * Many WebSocket clients on one selector thread, for {@link WebSocketDrainBenchmark}.
 * Runs in a JVM of its own, as the server's and the clients' sockets would not fit in one
 * process's file descriptor limit. Opens the sessions, prints {@code connected N},
 * answers every close frame with the same code, and when every connection has ended (or
 * stdin says {@code stop}) prints one {@code summary} line: close codes received,
 * connections that ended without a close frame, and when the close frames arrived (epoch
 * milliseconds).
 */
public final class BenchmarkClients {

	private static final int CONNECTING_AT_ONCE = 100;

	private static final int NO_CLOSE_FRAME = 1006;

	/**
	 * How often each open connection sends a ping, so that no server ends an idle
	 * connection while the others are still connecting (Jetty does after 30s).
	 */
	private static final long PING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(10);

	private final List<Connection> openConnections = new ArrayList<>();

	private BenchmarkClients() {
	}

	/**
	 * Runs the clients.
	 * @param args port, path, number of sessions
	 * @throws IOException if the selector fails
	 */
	public static void main(String[] args) throws IOException {
		int port = Integer.parseInt(args[0]);
		String path = args[1];
		int count = Integer.parseInt(args[2]);
		new BenchmarkClients().run(new InetSocketAddress("127.0.0.1", port), path, count);
	}

	private final List<Long> closeFrameTimes = new ArrayList<>();

	private final Map<Integer, Integer> codes = new TreeMap<>();

	private int connected;

	private int ended;

	private int failedHandshakes;

	private volatile boolean stopRequested;

	private void run(InetSocketAddress address, String path, int count) throws IOException {
		Thread stdin = new Thread(this::watchStdin, "stdin");
		stdin.setDaemon(true);
		stdin.start();
		try (Selector selector = Selector.open()) {
			int started = 0;
			int connecting = 0;
			boolean announced = false;
			long nextPing = System.nanoTime() + PING_INTERVAL_NANOS;
			while (!this.stopRequested && this.ended + this.failedHandshakes < count) {
				if (System.nanoTime() - nextPing > 0) {
					pingOpenConnections();
					nextPing = System.nanoTime() + PING_INTERVAL_NANOS;
				}
				while (started < count && connecting < CONNECTING_AT_ONCE) {
					SocketChannel channel = SocketChannel.open();
					channel.configureBlocking(false);
					channel.connect(address);
					channel.register(selector, SelectionKey.OP_CONNECT, new Connection(address, path));
					started++;
					connecting++;
				}
				selector.select(100);
				for (Iterator<SelectionKey> keys = selector.selectedKeys().iterator(); keys.hasNext();) {
					SelectionKey key = keys.next();
					keys.remove();
					Connection connection = (Connection) key.attachment();
					boolean wasOpen = connection.open;
					try {
						connection.handle(key);
					}
					catch (IOException ex) {
						connection.end(key);
					}
					if (!wasOpen && (connection.open || connection.ended)) {
						connecting--;
					}
				}
				if (!announced && this.connected == count) {
					System.out.println("connected " + this.connected);
					announced = true;
				}
			}
		}
		long[] times = this.closeFrameTimes.stream().mapToLong(Long::longValue).sorted().toArray();
		System.out.println("summary codes=" + this.codes + " failedHandshakes=" + this.failedHandshakes
				+ " closeFrames=" + times.length + " firstCloseFrame=" + ((times.length > 0) ? times[0] : -1)
				+ " medianCloseFrame=" + ((times.length > 0) ? times[times.length / 2] : -1) + " lastCloseFrame="
				+ ((times.length > 0) ? times[times.length - 1] : -1));
	}

	private void pingOpenConnections() {
		for (Connection connection : this.openConnections) {
			connection.ping();
		}
	}

	private void watchStdin() {
		try (BufferedReader reader = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (line.equals("stop")) {
					this.stopRequested = true;
				}
			}
		}
		catch (IOException ex) {
			// Parent gone
		}
	}

	/**
	 * One client connection and the state of its protocol.
	 */
	private final class Connection {

		private final String request;

		private @Nullable SocketChannel channel;

		private ByteBuffer in = ByteBuffer.allocate(512);

		private boolean open;

		private boolean closeFrameSeen;

		private boolean ended;

		Connection(InetSocketAddress address, String path) {
			byte[] nonce = new byte[16];
			ThreadLocalRandom.current().nextBytes(nonce);
			this.request = "GET " + path + " HTTP/1.1\r\nHost: " + address.getHostString() + ":" + address.getPort()
					+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
					+ "Sec-WebSocket-Key: " + Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n";
		}

		void handle(SelectionKey key) throws IOException {
			SocketChannel channel = (SocketChannel) key.channel();
			if (key.isConnectable()) {
				channel.finishConnect();
				this.channel = channel;
				channel.write(ByteBuffer.wrap(this.request.getBytes(StandardCharsets.US_ASCII)));
				key.interestOps(SelectionKey.OP_READ);
				return;
			}
			if (!this.in.hasRemaining()) {
				this.in = ByteBuffer.allocate(this.in.capacity() * 2).put(this.in.flip());
			}
			int read = channel.read(this.in);
			if (read < 0) {
				end(key);
				return;
			}
			this.in.flip();
			if (!this.open && !readHandshake(key)) {
				this.in.compact();
				return;
			}
			readFrames(channel);
			this.in.compact();
		}

		private boolean readHandshake(SelectionKey key) throws IOException {
			String head = StandardCharsets.US_ASCII.decode(this.in.duplicate()).toString();
			int end = head.indexOf("\r\n\r\n");
			if (end < 0) {
				return false;
			}
			if (!head.startsWith("HTTP/1.1 101")) {
				BenchmarkClients.this.failedHandshakes++;
				this.ended = true;
				key.channel().close();
				return false;
			}
			this.in.position(this.in.position() + end + 4);
			this.open = true;
			BenchmarkClients.this.connected++;
			BenchmarkClients.this.openConnections.add(this);
			return true;
		}

		private void readFrames(SocketChannel channel) throws IOException {
			while (this.in.remaining() >= 2) {
				int start = this.in.position();
				int first = this.in.get() & 0xFF;
				int length = this.in.get() & 0x7F;
				if (length == 126) {
					if (this.in.remaining() < 2) {
						this.in.position(start);
						return;
					}
					length = this.in.getShort() & 0xFFFF;
				}
				if (this.in.remaining() < length) {
					this.in.position(start);
					return;
				}
				byte[] payload = new byte[length];
				this.in.get(payload);
				if ((first & 0x0F) == 0x8 && !this.closeFrameSeen) {
					this.closeFrameSeen = true;
					int code = (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
					BenchmarkClients.this.closeFrameTimes.add(System.currentTimeMillis());
					BenchmarkClients.this.codes.merge(code, 1, Integer::sum);
					answerClose(channel, Arrays.copyOf(payload, Math.min(payload.length, 2)));
				}
			}
		}

		private void answerClose(SocketChannel channel, byte[] code) throws IOException {
			ByteBuffer frame = ByteBuffer.allocate(6 + code.length);
			frame.put((byte) 0x88).put((byte) (0x80 | code.length)).putInt(0).put(code).flip();
			while (frame.hasRemaining()) {
				channel.write(frame);
			}
		}

		void ping() {
			if (this.channel == null || this.ended || this.closeFrameSeen) {
				return;
			}
			try {
				// FIN + ping, masked, empty payload, zero mask
				this.channel.write(ByteBuffer.wrap(new byte[] { (byte) 0x89, (byte) 0x80, 0, 0, 0, 0 }));
			}
			catch (IOException ex) {
				// Ended; the selector sees it
			}
		}

		void end(SelectionKey key) throws IOException {
			if (this.ended) {
				return;
			}
			this.ended = true;
			key.cancel();
			key.channel().close();
			BenchmarkClients.this.ended++;
			if (!this.closeFrameSeen) {
				BenchmarkClients.this.codes.merge(NO_CLOSE_FRAME, 1, Integer::sum);
			}
		}

	}

}
