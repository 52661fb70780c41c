package io.github.gracefulshutdown.web.server.netty;

import java.time.Duration;
import java.util.OptionalInt;

import io.github.gracefulshutdown.web.server.Http2GoAwaySender;
import io.netty.channel.Channel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.util.concurrent.GlobalEventExecutor;
import reactor.netty.http.server.HttpServer;

/**
 * Sends a graceful GOAWAY on the HTTP/2 connections of a Reactor Netty server. Whether a
 * connection speaks HTTP/2 (h2c by prior knowledge or by upgrade, h2 negotiated over TLS)
 * is settled only after the server has accepted it, so every accepted connection is
 * tracked, and those whose pipeline holds Netty's {@link Http2FrameCodec} when the window
 * ends are told to go away (see {@link GracefulGoAwayHandler}).
 * <p>
 * Costs one entry in a concurrent set per connection, removed when the connection closes;
 * nothing per request or per stream.
 */
public class ReactorNettyHttp2GoAwaySender implements Http2GoAwaySender {

	private final ChannelGroup connections = new DefaultChannelGroup("graceful-shutdown-connections",
			GlobalEventExecutor.INSTANCE);

	private final Duration pingAckTimeout;

	/**
	 * Creates a sender.
	 * @param pingAckTimeout how long a client may take to acknowledge the PING that
	 * follows the first GOAWAY before it gets the final one anyway
	 */
	public ReactorNettyHttp2GoAwaySender(Duration pingAckTimeout) {
		this.pingAckTimeout = pingAckTimeout;
	}

	/**
	 * Makes the given server tell this sender about every connection it accepts.
	 * @param server the server to track
	 * @return the server, tracking its connections
	 */
	public HttpServer trackConnections(HttpServer server) {
		return server.doOnChannelInit((observer, channel, remoteAddress) -> this.connections.add(channel));
	}

	@Override
	public OptionalInt sendGoAway() {
		int told = 0;
		for (Channel connection : this.connections) {
			if (connection.pipeline().get(Http2FrameCodec.class) != null) {
				connection.eventLoop().execute(() -> GracefulGoAwayHandler.start(connection, this.pingAckTimeout));
				told++;
			}
		}
		return OptionalInt.of(told);
	}

}
