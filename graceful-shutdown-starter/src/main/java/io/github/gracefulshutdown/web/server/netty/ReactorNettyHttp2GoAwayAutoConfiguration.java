package io.github.gracefulshutdown.web.server.netty;

import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.web.server.Http2GoAwayDrainListener;
import io.netty.handler.codec.http2.Http2FrameCodec;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that tells the clients of a Reactor Netty server's HTTP/2
 * connections to go away at the end of the propagation window, as HTTP/1.x clients are
 * told with {@code Connection: close} during it. Only when the server speaks HTTP/2
 * ({@code server.http2.enabled}) and connections are closed during the drain
 * ({@code graceful-shutdown.close-connections}).
 */
@AutoConfiguration(after = { GracefulShutdownAutoConfiguration.class, NettyReactiveWebServerAutoConfiguration.class })
@ConditionalOnClass({ HttpServer.class, Http2FrameCodec.class, NettyReactiveWebServerFactory.class })
@ConditionalOnWebApplication(type = Type.REACTIVE)
@ConditionalOnDrain
@ConditionalOnBean(NettyReactiveWebServerFactory.class)
@ConditionalOnBooleanProperty("server.http2.enabled")
@ConditionalOnBooleanProperty(name = "graceful-shutdown.close-connections", matchIfMissing = true)
public final class ReactorNettyHttp2GoAwayAutoConfiguration {

	/**
	 * Longer than the round trip of any client in good health; one that has not
	 * acknowledged the PING by then gets the final GOAWAY anyway.
	 */
	static final Duration PING_ACK_TIMEOUT = Duration.ofSeconds(1);

	@Bean
	ReactorNettyHttp2GoAwaySender reactorNettyHttp2GoAwaySender() {
		return new ReactorNettyHttp2GoAwaySender(PING_ACK_TIMEOUT);
	}

	@Bean
	WebServerFactoryCustomizer<NettyReactiveWebServerFactory> reactorNettyHttp2ConnectionTracking(
			ReactorNettyHttp2GoAwaySender sender) {
		return (factory) -> factory.addServerCustomizers(sender::trackConnections);
	}

	@Bean
	Http2GoAwayDrainListener reactorNettyHttp2GoAwayDrainListener(ReactorNettyHttp2GoAwaySender sender) {
		return new Http2GoAwayDrainListener(sender);
	}

}
