package io.github.gracefulshutdown.web.server.netty;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.util.concurrent.GlobalEventExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;

/**
 * Closes, right before a Reactor Netty web server stops at the end of a drain, the
 * connections still open: those of requests that reached the in-flight deadline, and any
 * other that no request holds. Reactor Netty's stop would otherwise wait for each request
 * to end, up to its own timeout (3s), past the time the budget leaves for the stop; the
 * starter leaves Reactor Netty's lifecycle timeout alone, because it also bounds the
 * server's bind at startup. Outside a drain the stop is left to Reactor Netty.
 * <p>
 * Tracks every connection the server accepts, as one entry in a concurrent set removed
 * when the connection closes; nothing per request.
 */
public final class ReactorNettyConnectionCutOff
		implements WebServerFactoryCustomizer<NettyReactiveWebServerFactory>, Runnable {

	private static final Log logger = LogFactory.getLog(ReactorNettyConnectionCutOff.class);

	private final ChannelGroup connections = new DefaultChannelGroup("graceful-shutdown-cut-off",
			GlobalEventExecutor.INSTANCE);

	private final DrainCoordinator coordinator;

	/**
	 * Creates a cut-off.
	 * @param coordinator the application's drain
	 */
	public ReactorNettyConnectionCutOff(DrainCoordinator coordinator) {
		this.coordinator = coordinator;
	}

	@Override
	public void customize(NettyReactiveWebServerFactory factory) {
		factory.addServerCustomizers((server) -> server
			.doOnChannelInit((observer, channel, remoteAddress) -> this.connections.add(channel)));
	}

	/**
	 * Closes the connections still open, during a drain.
	 */
	@Override
	public void run() {
		int open = this.connections.size();
		if (!this.coordinator.isDraining() || open == 0) {
			return;
		}
		this.connections.close();
		logger.info("Closed " + open + ((open == 1) ? " connection" : " connections")
				+ " still open when the web server stops");
	}

}
