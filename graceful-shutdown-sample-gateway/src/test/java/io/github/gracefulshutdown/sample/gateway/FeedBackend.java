package io.github.gracefulshutdown.sample.gateway;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import reactor.core.publisher.Flux;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The backend behind the gateway: Reactor Netty on the loopback address, sending a tick
 * every 200 ms to the WebSocket client of {@code /feed} and recording the close status
 * the client, here the gateway, sends it.
 */
final class FeedBackend implements AutoCloseable {

	private static final Duration TICK_INTERVAL = Duration.ofMillis(200);

	private final CompletableFuture<Integer> closeCode = new CompletableFuture<>();

	private final DisposableServer server;

	FeedBackend() {
		this.server = HttpServer.create().host("127.0.0.1").port(0).route((routes) -> routes.ws("/feed", (in, out) -> {
			in.receiveCloseStatus().subscribe((status) -> this.closeCode.complete(status.code()));
			return out.sendString(Flux.interval(TICK_INTERVAL).map((count) -> "tick " + count));
		})).bindNow();
	}

	String uri() {
		return "http://127.0.0.1:" + this.server.port();
	}

	/**
	 * Returns the close status the gateway sent when it closed its session to this
	 * backend.
	 * @return the close code, once received
	 */
	CompletableFuture<Integer> closeCode() {
		return this.closeCode;
	}

	@Override
	public void close() {
		this.server.disposeNow();
	}

}
