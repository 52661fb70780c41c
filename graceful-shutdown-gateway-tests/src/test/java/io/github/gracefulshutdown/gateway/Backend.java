package io.github.gracefulshutdown.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A backend behind the gateway: the JDK's HTTP server on the loopback address, answering
 * {@code hello} to every request.
 */
final class Backend implements AutoCloseable {

	private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

	private final HttpServer server;

	private Backend(HttpServer server) {
		this.server = server;
	}

	static Backend start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", Backend::hello);
		server.start();
		return new Backend(server);
	}

	private static void hello(HttpExchange exchange) throws IOException {
		exchange.getRequestBody().readAllBytes();
		exchange.sendResponseHeaders(200, HELLO.length);
		try (OutputStream body = exchange.getResponseBody()) {
			body.write(HELLO);
		}
	}

	String uri() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
