package io.github.gracefulshutdown.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends each request on a new TCP connection, the way a client reaches a pod through a
 * load balancer that opens a fresh connection, and returns the status code.
 */
public final class HttpTestClient {

	private static final int TIMEOUT_MILLIS = 10_000;

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

}
