package io.github.gracefulshutdown.web.server.netty;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http2.DefaultHttp2GoAwayFrame;
import io.netty.handler.codec.http2.DefaultHttp2PingFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2PingFrame;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

/**
 * Tells the client of one HTTP/2 connection to go away without losing a stream, in the
 * two steps RFC 9113 (section 6.8) describes: first a GOAWAY whose last stream id is
 * 2<sup>31</sup>-1, followed by a PING, so that the client opens no new stream while the
 * streams already on their way are still taken; then, once the PING's acknowledgement
 * shows that the client has seen the first GOAWAY, a GOAWAY with the id of the last
 * stream the server took, and a close of the connection, which Netty's
 * {@link Http2FrameCodec} holds until the streams in flight have ended.
 * <p>
 * A client that never acknowledges the PING gets the final GOAWAY after the PING
 * acknowledgement timeout, and a close asked for earlier, Reactor Netty's graceful
 * shutdown for instance, sends the final GOAWAY first: without it the client would never
 * learn which of its streams the server did not take. The handler sits last in the
 * connection's pipeline, added when the window ends; it runs on the connection's event
 * loop.
 */
final class GracefulGoAwayHandler extends ChannelDuplexHandler {

	/**
	 * The content of the PING that follows the first GOAWAY, told apart from other PINGs
	 * (Reactor Netty's liveness checks) by it.
	 */
	static final long PING_CONTENT = 0x6772_6163_6566_756CL;

	private final long pingAckTimeoutNanos;

	private @Nullable ScheduledFuture<?> pingAckTimeout;

	private boolean finalGoAwaySent;

	private GracefulGoAwayHandler(Duration pingAckTimeout) {
		this.pingAckTimeoutNanos = pingAckTimeout.toNanos();
	}

	/**
	 * Starts telling the client of the given connection to go away, unless the connection
	 * is closed or already going away. Must be called on the connection's event loop.
	 * @param connection an HTTP/2 connection, the parent of its streams' channels
	 * @param pingAckTimeout how long the client may take to acknowledge the PING
	 */
	static void start(Channel connection, Duration pingAckTimeout) {
		Http2FrameCodec codec = connection.pipeline().get(Http2FrameCodec.class);
		if (connection.isActive() && codec != null && !codec.connection().goAwaySent()
				&& !codec.connection().goAwayReceived()) {
			connection.pipeline().addLast(new GracefulGoAwayHandler(pingAckTimeout));
		}
	}

	@Override
	public void handlerAdded(ChannelHandlerContext ctx) {
		ctx.write(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR).setExtraStreamIds(Integer.MAX_VALUE));
		ctx.writeAndFlush(new DefaultHttp2PingFrame(PING_CONTENT));
		this.pingAckTimeout = ctx.executor()
			.schedule(() -> goAwayAndClose(ctx), this.pingAckTimeoutNanos, TimeUnit.NANOSECONDS);
	}

	@Override
	public void channelRead(ChannelHandlerContext ctx, Object msg) {
		if (msg instanceof Http2PingFrame ping && ping.ack() && ping.content() == PING_CONTENT) {
			goAwayAndClose(ctx);
			return;
		}
		ctx.fireChannelRead(msg);
	}

	@Override
	public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
		sendFinalGoAway(ctx);
		ctx.close(promise);
	}

	@Override
	public void handlerRemoved(ChannelHandlerContext ctx) {
		cancelPingAckTimeout();
	}

	private void goAwayAndClose(ChannelHandlerContext ctx) {
		if (sendFinalGoAway(ctx)) {
			ctx.close();
		}
	}

	private boolean sendFinalGoAway(ChannelHandlerContext ctx) {
		if (this.finalGoAwaySent) {
			return false;
		}
		this.finalGoAwaySent = true;
		cancelPingAckTimeout();
		ctx.writeAndFlush(new DefaultHttp2GoAwayFrame(Http2Error.NO_ERROR));
		return true;
	}

	private void cancelPingAckTimeout() {
		ScheduledFuture<?> timeout = this.pingAckTimeout;
		if (timeout != null) {
			timeout.cancel(false);
			this.pingAckTimeout = null;
		}
	}

}
