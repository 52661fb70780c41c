package io.github.gracefulshutdown.web.server.netty;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.test.ReactiveTestApplication;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestThreads;
import io.github.gracefulshutdown.test.WindowEndHold;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler.Sharable;
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
import io.netty.handler.codec.http2.Http2StreamChannel;
import io.netty.handler.codec.http2.Http2StreamChannelBootstrap;
import io.netty.util.ReferenceCountUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.netty.NettyPipeline;
import reactor.netty.http.HttpProtocol;
import reactor.netty.http.client.HttpClient;
import reactor.netty.resources.ConnectionProvider;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tells real HTTP/2 clients of a real Reactor Netty server (h2c) to go away at the end of
 * the propagation window, the application closed the way SIGTERM closes it: from another
 * thread.
 */
class ReactorNettyHttp2GoAwayServerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final ConnectionProvider connectionProvider = ConnectionProvider.create("h2-go-away-tests", 10);

	private final EventLoopGroup clientLoop = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

	private final GoAwayRecorder goAways = new GoAwayRecorder();

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.connectionProvider.disposeLater().block(TIMEOUT);
		this.clientLoop.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
	}

	@Test
	void whenTheWindowEndsThenHttp2ClientsMoveToANewConnectionWhileTheirStreamInFlightCompletes() throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		WindowEndHold hold = new WindowEndHold();
		ConfigurableApplicationContext context = start(window, hold);
		ReactiveTestApplication.TestController controller = context
			.getBean(ReactiveTestApplication.TestController.class);
		List<Http2StreamChannel> streams = new CopyOnWriteArrayList<>();
		HttpClient client = h2cClient(port(context), streams);
		assertThat(get(client, "/hello")).isEqualTo(200);
		assertThat(get(client, "/hello")).isEqualTo(200);
		assertThat(connections(streams)).hasSize(1);
		Channel first = streams.get(0).parent();
		CompletableFuture<String> inFlight = client.get()
			.uri("/blocking")
			.responseSingle((response, body) -> body.asString().map((text) -> response.status().code() + " " + text))
			.toFuture();
		await().until(() -> controller.entered() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(() -> context.getBean(DrainCoordinator.class).isDraining());
		assertThat(get(client, "/hello")).isEqualTo(200);
		assertThat(connections(streams)).containsExactly(first);
		assertThat(this.goAways.received()).isEmpty();
		window.release();

		await().atMost(TIMEOUT).until(() -> this.goAways.received().size() == 2);
		assertThat(this.goAways.received()).extracting(GoAway::connection).containsOnly(first);
		assertThat(this.goAways.received()).extracting(GoAway::errorCode).containsOnly(0L);
		assertThat(this.goAways.received()).extracting(GoAway::lastStreamId)
			.containsExactly(Integer.MAX_VALUE, streams.get(streams.size() - 1).stream().id());
		assertThat(get(client, "/hello")).isEqualTo(200);
		assertThat(connections(streams)).hasSize(2);
		assertThat(inFlight).isNotDone();
		controller.release();
		assertThat(inFlight.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo("200 released");
		await().atMost(TIMEOUT).until(() -> !first.isActive());
		assertThat(close).isNotDone();
		hold.release();
		close.get(30, TimeUnit.SECONDS);
	}

	@Test
	void whenAClientNeverAcknowledgesThePingThenItStillGetsTheFinalGoAwayAndItsStreamCompletes() throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(window, null);
		ReactiveTestApplication.TestController controller = context
			.getBean(ReactiveTestApplication.TestController.class);
		Channel connection = connectWithoutPingAcks(port(context));
		CompletableFuture<Integer> inFlight = new CompletableFuture<>();
		Http2StreamChannel stream = new Http2StreamChannelBootstrap(connection).handler(new StatusRecorder(inFlight))
			.open()
			.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		stream.writeAndFlush(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET")
			.scheme("http")
			.authority("127.0.0.1:" + port(context))
			.path("/blocking"), true));
		await().until(() -> controller.entered() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(() -> context.getBean(DrainCoordinator.class).isDraining());
		window.release();

		await().atMost(TIMEOUT).until(() -> this.goAways.received().size() == 2);
		assertThat(this.goAways.received()).extracting(GoAway::lastStreamId)
			.containsExactly(Integer.MAX_VALUE, stream.stream().id());
		assertThat(inFlight).isNotDone();
		controller.release();
		assertThat(inFlight.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isEqualTo(200);
		await().atMost(TIMEOUT).until(() -> !connection.isActive());
		close.get(30, TimeUnit.SECONDS);
	}

	private ConfigurableApplicationContext start(ReleasableWindow window, WindowEndHold hold) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(ReactiveTestApplication.class)
			.web(WebApplicationType.REACTIVE)
			.properties(TestDefaults.PROPERTIES)
			.properties("server.port=0", "server.address=127.0.0.1", ReactiveTestApplication.NETTY_SELECTION,
					"server.http2.enabled=true", "graceful-shutdown.termination-grace-period=120s",
					"graceful-shutdown.listener-timeout=30s")
			.initializers((context) -> {
				context.getBeanFactory().registerSingleton("testWindow", window);
				if (hold != null) {
					context.getBeanFactory().registerSingleton("windowEndHold", hold);
				}
			});
		ConfigurableApplicationContext context = builder.run();
		this.contexts.add(context);
		return context;
	}

	private HttpClient h2cClient(int port, List<Http2StreamChannel> streams) {
		return HttpClient.create(this.connectionProvider)
			.protocol(HttpProtocol.H2C)
			.baseUrl("http://127.0.0.1:" + port)
			.responseTimeout(TIMEOUT)
			.doOnChannelInit((observer, channel, address) -> channel.pipeline()
				.addAfter(NettyPipeline.H2MultiplexHandler, "goAwayRecorder", this.goAways))
			.doOnRequest((request, connection) -> streams.add((Http2StreamChannel) connection.channel()));
	}

	private static Set<Channel> connections(List<Http2StreamChannel> streams) {
		return streams.stream().map(Channel::parent).collect(Collectors.toSet());
	}

	private Channel connectWithoutPingAcks(int port) throws InterruptedException {
		return new Bootstrap().group(this.clientLoop)
			.channel(NioSocketChannel.class)
			.handler(new ChannelInitializer<Channel>() {

				@Override
				protected void initChannel(Channel channel) {
					channel.pipeline()
						.addLast(Http2FrameCodecBuilder.forClient().autoAckPingFrame(false).build(),
								new Http2MultiplexHandler(new ChannelInboundHandlerAdapter()),
								ReactorNettyHttp2GoAwayServerTests.this.goAways);
				}

			})
			.connect("127.0.0.1", port)
			.sync()
			.channel();
	}

	private static int get(HttpClient client, String path) {
		return client.get()
			.uri(path)
			.responseSingle((response, body) -> body.then(Mono.just(response.status().code())))
			.block(TIMEOUT);
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	record GoAway(Channel connection, int lastStreamId, long errorCode) {
	}

	/**
	 * Records the GOAWAY frames a client's connections receive, then passes them on.
	 */
	@Sharable
	static final class GoAwayRecorder extends ChannelInboundHandlerAdapter {

		private final List<GoAway> received = new CopyOnWriteArrayList<>();

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			if (msg instanceof Http2GoAwayFrame goAway) {
				this.received.add(new GoAway(ctx.channel(), goAway.lastStreamId(), goAway.errorCode()));
			}
			ctx.fireChannelRead(msg);
		}

		List<GoAway> received() {
			return this.received;
		}

	}

	/**
	 * Completes with the status of a stream's response once its last frame has arrived.
	 */
	static final class StatusRecorder extends ChannelInboundHandlerAdapter {

		private final CompletableFuture<Integer> status;

		private int code;

		StatusRecorder(CompletableFuture<Integer> status) {
			this.status = status;
		}

		@Override
		public void channelRead(ChannelHandlerContext ctx, Object msg) {
			try {
				if (msg instanceof Http2HeadersFrame headers && headers.headers().status() != null) {
					this.code = Integer.parseInt(headers.headers().status().toString());
				}
				if ((msg instanceof Http2HeadersFrame headers && headers.isEndStream())
						|| (msg instanceof Http2DataFrame data && data.isEndStream())) {
					this.status.complete(this.code);
				}
			}
			finally {
				ReferenceCountUtil.release(msg);
			}
		}

	}

}
