package io.github.gracefulshutdown.gateway;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A backend behind the gateway: the JDK's HTTP server on the loopback address, answering
 * {@code hello} to every request but those for {@code /events}, a server-sent event
 * stream of a {@code tick} every 100 milliseconds, for up to a minute or until the
 * gateway goes away.
 */
final class Backend implements AutoCloseable {

	private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);

	private static final byte[] TICK = "data: tick\n\n".getBytes(StandardCharsets.UTF_8);

	private static final long LONGEST_STREAM_NANOS = TimeUnit.MINUTES.toNanos(1);

	private final HttpServer server;

	private Backend(HttpServer server) {
		this.server = server;
	}

	static Backend start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		server.createContext("/", Backend::hello);
		server.createContext("/events", Backend::events);
		server.setExecutor(Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "backend");
			thread.setDaemon(true);
			return thread;
		}));
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

	private static void events(HttpExchange exchange) throws IOException {
		exchange.getRequestBody().readAllBytes();
		exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
		exchange.sendResponseHeaders(200, 0);
		long deadline = System.nanoTime() + LONGEST_STREAM_NANOS;
		try (OutputStream body = exchange.getResponseBody()) {
			while (System.nanoTime() < deadline) {
				body.write(TICK);
				body.flush();
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
			}
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
