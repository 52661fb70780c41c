package io.github.gracefulshutdown.websocket.reactive;

import io.netty.channel.Channel;
import org.jspecify.annotations.Nullable;
import reactor.netty.http.server.HttpServerResponse;

import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.web.server.ServerWebExchange;

/**
 * The Reactor Netty connection a WebSocket handshake upgrades: what the drain needs to
 * tell that a session's connection has closed and to drop the connection of a client that
 * never takes its close frame. Spring's reactive {@code WebSocketSession} keeps it to
 * itself, so it is taken from the handshake's response, which is served on the same
 * connection.
 * <p>
 * Reactor Netty closes the connection right after writing the server's close frame; a
 * client that has stopped reading never takes the frame, and only dropping the connection
 * ends it before the web server's graceful shutdown, which waits for every open
 * connection.
 */
final class ReactorNettyConnection {

	private final Channel channel;

	private ReactorNettyConnection(Channel channel) {
		this.channel = channel;
	}

	/**
	 * Returns the connection of the given exchange.
	 * @param exchange a WebSocket handshake
	 * @return its connection, or {@code null} when Reactor Netty does not serve it
	 */
	static @Nullable ReactorNettyConnection of(ServerWebExchange exchange) {
		Object nativeResponse;
		try {
			nativeResponse = ServerHttpResponseDecorator.getNativeResponse(exchange.getResponse());
		}
		catch (IllegalArgumentException | IllegalStateException ex) {
			// A response of no server: an application's own, or a mock
			return null;
		}
		if (!(nativeResponse instanceof HttpServerResponse response)) {
			return null;
		}
		@Nullable Channel[] channel = new Channel[1];
		response.withConnection((connection) -> channel[0] = connection.channel());
		return (channel[0] != null) ? new ReactorNettyConnection(channel[0]) : null;
	}

	/**
	 * Returns whether the connection is closed.
	 * @return {@code true} once the connection is closed
	 */
	boolean isClosed() {
		return !this.channel.isActive();
	}

	/**
	 * Drops the connection, with whatever it still had to write.
	 */
	void abort() {
		this.channel.close();
	}

}
