package io.github.gracefulshutdown.test;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * A WebSocket client on a plain socket that does only what a test tells it to: in
 * particular, it never answers a close frame, like a client on a dead network path.
 */
public final class RawWebSocketClient implements AutoCloseable {

	private static final int OPCODE_CLOSE = 0x8;

	private final Socket socket;

	private final DataInputStream in;

	private final int status;

	private final Map<String, String> headers;

	private RawWebSocketClient(Socket socket, DataInputStream in, int status, Map<String, String> headers) {
		this.socket = socket;
		this.in = in;
		this.status = status;
		this.headers = headers;
	}

	/**
	 * Sends a WebSocket handshake to {@code 127.0.0.1:port} and reads the response head.
	 * @param port the server port
	 * @param path the endpoint path
	 * @return the client, connected if {@link #status()} is 101
	 * @throws IOException if the connection fails
	 */
	public static RawWebSocketClient connect(int port, String path) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
		socket.setSoTimeout(30_000);
		byte[] nonce = new byte[16];
		ThreadLocalRandom.current().nextBytes(nonce);
		OutputStream out = socket.getOutputStream();
		out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
				+ "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: "
				+ Base64.getEncoder().encodeToString(nonce) + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		out.flush();
		DataInputStream in = new DataInputStream(socket.getInputStream());
		String statusLine = readLine(in);
		String[] parts = statusLine.split(" ");
		if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
			socket.close();
			throw new IOException("Not an HTTP response: '" + statusLine + "'");
		}
		Map<String, String> headers = new LinkedHashMap<>();
		String line;
		while (!(line = readLine(in)).isEmpty()) {
			int colon = line.indexOf(':');
			if (colon > 0) {
				headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
			}
		}
		return new RawWebSocketClient(socket, in, Integer.parseInt(parts[1]), headers);
	}

	/**
	 * Returns the status code of the handshake response.
	 * @return 101 when the handshake succeeded
	 */
	public int status() {
		return this.status;
	}

	/**
	 * Returns a header of the handshake response.
	 * @param name the header name
	 * @return its value, or {@code null}
	 */
	public String header(String name) {
		return this.headers.get(name.toLowerCase(Locale.ROOT));
	}

	/**
	 * Reads frames until a close frame arrives, and does not answer it.
	 * @return the close code of the close frame
	 * @throws IOException if the connection ends first
	 */
	public int awaitCloseFrame() throws IOException {
		while (true) {
			int first = this.in.readUnsignedByte();
			int second = this.in.readUnsignedByte();
			long length = second & 0x7F;
			if (length == 126) {
				length = this.in.readUnsignedShort();
			}
			else if (length == 127) {
				length = this.in.readLong();
			}
			byte[] payload = new byte[Math.toIntExact(length)];
			this.in.readFully(payload);
			if ((first & 0x0F) == OPCODE_CLOSE) {
				return (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : 1005;
			}
		}
	}

	/**
	 * Returns whether the server still holds the connection, by sending it an unsolicited
	 * pong frame, which servers ignore. A server may shut down its sending side after its
	 * close frame and still read; writing fails only once it has dropped the connection
	 * (the first write after that draws a reset, the next one fails).
	 * @return {@code true} while the connection is up
	 */
	public boolean isConnected() {
		try {
			OutputStream out = this.socket.getOutputStream();
			// FIN + pong, masked, empty payload, zero mask
			out.write(new byte[] { (byte) 0x8A, (byte) 0x80, 0, 0, 0, 0 });
			out.flush();
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Waits until the server has ended the connection or shut down its sending side,
	 * reading and ignoring whatever it still sends, without writing to it (unlike
	 * {@link #isConnected()}).
	 * @param atMost the longest to wait
	 * @return {@code true} if the server ended the connection in that time
	 * @throws IOException if the socket cannot be read with a timeout
	 */
	public boolean awaitEnd(Duration atMost) throws IOException {
		this.socket.setSoTimeout(Math.toIntExact(Math.max(1, atMost.toMillis())));
		try {
			while (this.in.read() != -1) {
				// Ignored
			}
			return true;
		}
		catch (SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			// Reset: dropped
			return true;
		}
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

	private static String readLine(DataInputStream in) throws IOException {
		ByteArrayOutputStream line = new ByteArrayOutputStream();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.write(c);
			}
		}
		return line.toString(StandardCharsets.US_ASCII);
	}

}
