package io.github.gracefulshutdown.gateway;

import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * A WebSocket backend behind the gateway: Reactor Netty on the loopback address, echoing
 * every message of {@code /echo}.
 */
final class WebSocketBackend implements AutoCloseable {

	private final DisposableServer server;

	private WebSocketBackend(DisposableServer server) {
		this.server = server;
	}

	static WebSocketBackend start() {
		DisposableServer server = HttpServer.create()
			.host("127.0.0.1")
			.port(0)
			.route((routes) -> routes.ws("/echo", (in, out) -> out.sendString(in.receive().asString())))
			.bindNow();
		return new WebSocketBackend(server);
	}

	String uri() {
		return "ws://127.0.0.1:" + this.server.port();
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
