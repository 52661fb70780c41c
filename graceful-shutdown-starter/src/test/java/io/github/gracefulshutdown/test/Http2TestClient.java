package io.github.gracefulshutdown.test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLException;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2DataFrame;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2GoAwayFrame;
import io.netty.handler.codec.http2.Http2HeadersFrame;
import io.netty.handler.codec.http2.Http2MultiplexHandler;
import io.netty.handler.codec.http2.Http2ResetFrame;
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolConfig.Protocol;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectedListenerFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolConfig.SelectorFailureBehavior;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import org.jspecify.annotations.Nullable;

/**
 * A real HTTP/2 client on Netty's HTTP/2 codec, for tests that need to see frames no
 * higher-level client shows: opens connections to a server on 127.0.0.1 (h2c by prior
 * knowledge, or h2 over TLS chosen with ALPN, trusting any certificate), sends GET
 * requests on new streams, and records the GOAWAY frames each connection receives.
 */
public final class Http2TestClient implements AutoCloseable {

	private final EventLoopGroup loop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final @Nullable SslContext tls;

	private Http2TestClient(@Nullable SslContext tls) {
		this.tls = tls;
	}

	/**
	 * Returns a client that speaks h2c, by prior knowledge.
	 * @return the client
	 */
	public static Http2TestClient h2c() {
		return new Http2TestClient(null);
	}

	/**
	 * Returns a client that speaks h2 over TLS, chosen with ALPN, and trusts any
	 * certificate.
	 * @return the client
	 */
	public static Http2TestClient h2() {
		try {
			return new Http2TestClient(SslContextBuilder.forClient()
				.sslProvider(SslProvider.JDK)
				.trustManager(InsecureTrustManagerFactory.INSTANCE)
				.applicationProtocolConfig(
						new ApplicationProtocolConfig(Protocol.ALPN, SelectorFailureBehavior.NO_ADVERTISE,
								SelectedListenerFailureBehavior.ACCEPT, ApplicationProtocolNames.HTTP_2))
				.build());
		}
		catch (SSLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Opens a connection.
	 * @param port the server's port on 127.0.0.1
	 * @return the open connection
	 * @throws InterruptedException if interrupted while connecting
	 */
	public Connection connect(int port) throws InterruptedException {
		Connection connection = new Connection(port, (this.tls != null) ? "https" : "http");
		connection.channel = new Bootstrap().group(this.loop)
			.channel(NioSocketChannel.class)
			.handler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel channel) {
					if (Http2TestClient.this.tls != null) {
						channel.pipeline()
							.addLast(Http2TestClient.this.tls.newHandler(channel.alloc(), "127.0.0.1", port));
					}
					channel.pipeline()
						.addLast(Http2FrameCodecBuilder.forClient().build(),
								new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
								new GoAwayRecorder(connection.goAways));
				}

			})
			.connect("127.0.0.1", port)
			.sync()
			.channel();
		return connection;
	}

	@Override
	public void close() {
		this.loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	/**
	 * A GOAWAY frame a connection received.
	 *
	 * @param lastStreamId the id of the last stream the server takes
	 * @param errorCode the error code, 0 for {@code NO_ERROR}
	 */
	public record GoAway(int lastStreamId, long errorCode) {
	}

	/**
	 * A response that arrived whole.
	 *
	 * @param streamId the id of the stream that carried it
	 * @param status the status code
	 * @param body the body, as UTF-8 text
	 */
	public record Response(int streamId, int status, String body) {
	}

	/**
	 * One HTTP/2 connection.
	 */
	public static final class Connection {

		private final int port;

		private final String scheme;

		private final List<GoAway> goAways = new CopyOnWriteArrayList<>();

		private Channel channel;

		private Connection(int port, String scheme) {
			this.port = port;
			this.scheme = scheme;
		}

		/**
		 * Sends a GET request on a new stream.
		 * @param path the path
		 * @return the response, once it has arrived whole; failed if the stream was reset
		 * or the connection closed first
		 */
		public CompletableFuture<Response> get(String path) {
			CompletableFuture<Response> response = new CompletableFuture<>();
			Http2StreamChannel stream = new Http2StreamChannelBootstrap(this.channel)
				.handler(new ResponseReader(response))
				.open()
				.syncUninterruptibly()
				.getNow();
			stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET")
				.scheme(this.scheme)
				.authority("127.0.0.1:" + this.port)
				.path(path), true));
			return response;
		}

		/**
		 * Returns the GOAWAY frames the connection received so far, in order.
		 * @return the GOAWAY frames
		 */
		public List<GoAway> goAways() {
			return this.goAways;
		}

		/**
		 * Returns whether the connection is still open.
		 * @return whether the connection is open
		 */
		public boolean isOpen() {
			return this.channel.isActive();
		}

	}

	/**
	 * Records the GOAWAY frames of a connection, then passes them on.
	 */
	private static final class GoAwayRecorder extends ChannelInboundHandlerAdapter {

		private final List<GoAway> goAways;

		GoAwayRecorder(List<GoAway> goAways) {
			this.goAways = goAways;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof Http2GoAwayFrame goAway) {
				this.goAways.add(new GoAway(goAway.lastStreamId(), goAway.errorCode()));
			}
			ctx.fireChannelRead(msg);
		}

	}

	/**
	 * Reads the response on one stream.
	 */
	private static final class ResponseReader extends ChannelInboundHandlerAdapter {

		private final CompletableFuture<Response> response;

		private final StringBuilder body = new StringBuilder();

		private int status;

		ResponseReader(CompletableFuture<Response> response) {
			this.response = response;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				boolean endStream = false;
				if (msg instanceof Http2HeadersFrame headers) {
					if (headers.headers().status() != null) {
						this.status = Integer.parseInt(headers.headers().status().toString());
					}
					endStream = headers.isEndStream();
				}
				else if (msg instanceof Http2DataFrame data) {
					this.body.append(data.content().toString(StandardCharsets.UTF_8));
					endStream = data.isEndStream();
				}
				else if (msg instanceof Http2ResetFrame reset) {
					this.response.completeExceptionally(
							new IllegalStateException("Stream reset with error code " + reset.errorCode()));
				}
				if (endStream) {
					int streamId = ((Http2StreamChannel) ctx.channel()).stream().id();
					this.response.complete(new Response(streamId, this.status, this.body.toString()));
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

		@Override
		public void channelInactive(ChannelHandlerContext ctx) {
			this.response.completeExceptionally(new IllegalStateException("Stream closed before its response ended"));
		}

	}

}
