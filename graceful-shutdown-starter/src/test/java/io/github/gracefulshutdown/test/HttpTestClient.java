package io.github.gracefulshutdown.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.nio.charset.StandardCharsets;

/**
 * A minimal HTTP/1.1 client over raw sockets, for tests that need to know exactly what
 * happens to a connection. Each request goes on a new TCP connection.
 */
public final class HttpTestClient {

	private static final int TIMEOUT_MILLIS = 10_000;

	private static final int CLOSE_WAIT_MILLIS = 1_000;

	private HttpTestClient() {
	}

	/**
	 * Sends {@code GET path} to {@code 127.0.0.1:port} on a new connection.
	 * @param port the server port
	 * @param path the request path
	 * @return the response status code
	 * @throws IOException if the connection is refused or breaks
	 */
	public static int get(int port, String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			String statusLine = readLine(socket.getInputStream());
			String[] parts = statusLine.split(" ");
			if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
				throw new IOException("Not an HTTP response: '" + statusLine + "'");
			}
			return Integer.parseInt(parts[1]);
		}
	}

	/**
	 * Sends {@code GET path} on a new connection without asking to close it, reads the
	 * response and then waits up to a second to see whether the server closes the
	 * connection.
	 * @param port the server port
	 * @param path the request path
	 * @return the response status and whether the server closed the connection
	 * @throws IOException if the connection is refused or breaks
	 */
	public static KeepAliveOutcome getKeepingAlive(int port, String path) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), TIMEOUT_MILLIS);
			socket.setSoTimeout(TIMEOUT_MILLIS);
			OutputStream out = socket.getOutputStream();
			out.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			int status = Integer.parseInt(readLine(in).split(" ")[1]);
			int contentLength = -1;
			boolean connectionClose = false;
			String header;
			while (!(header = readLine(in)).isEmpty()) {
				String lower = header.toLowerCase(Locale.ROOT);
				if (lower.startsWith("content-length:")) {
					contentLength = Integer.parseInt(lower.substring("content-length:".length()).trim());
				}
				if (lower.startsWith("connection:") && lower.contains("close")) {
					connectionClose = true;
				}
			}
			if (contentLength < 0) {
				throw new IOException("Expected a response with Content-Length");
			}
			in.readNBytes(contentLength);
			socket.setSoTimeout(CLOSE_WAIT_MILLIS);
			boolean serverClosed;
			try {
				serverClosed = in.read() == -1;
			}
			catch (SocketTimeoutException ex) {
				serverClosed = false;
			}
			return new KeepAliveOutcome(status, connectionClose, serverClosed);
		}
	}

	private static String readLine(InputStream in) throws IOException {
		StringBuilder line = new StringBuilder();
		int c;
		while ((c = in.read()) != -1 && c != '\n') {
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	/**
	 * What happened to a kept-alive connection.
	 *
	 * @param status the response status
	 * @param connectionClose whether the response carried {@code Connection: close}
	 * @param serverClosed whether the server closed the connection after the response
	 */
	public record KeepAliveOutcome(int status, boolean connectionClose, boolean serverClosed) {

	}

}
