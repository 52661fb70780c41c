package io.github.gracefulshutdown.web.server;

import java.util.OptionalInt;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.core.Ordered;

/**
 * Tells HTTP/2 clients to go away when the propagation window ends: by then the load
 * balancers have stopped sending new connections to this instance, so a client that opens
 * a new connection lands on another one, while the web server still accepts connections
 * and serves the streams in flight. Runs before the other listeners of the window's end,
 * which may block, and does not block itself.
 */
public class Http2GoAwayDrainListener implements DrainListener, Ordered {

	private static final Log logger = LogFactory.getLog(Http2GoAwayDrainListener.class);

	private final Http2GoAwaySender sender;

	/**
	 * Creates a listener.
	 * @param sender tells the clients of the web server's HTTP/2 connections to go away
	 */
	public Http2GoAwayDrainListener(Http2GoAwaySender sender) {
		this.sender = sender;
	}

	@Override
	public void windowEnded(Drain drain) {
		OptionalInt connections = this.sender.sendGoAway();
		if (connections.isEmpty()) {
			logger.info("Asked the web server to send GOAWAY on its open HTTP/2 connections, if any");
		}
		else if (connections.getAsInt() > 0) {
			int count = connections.getAsInt();
			logger.info("Sent GOAWAY to " + count + " HTTP/2 connection" + ((count != 1) ? "s" : ""));
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE + 10;
	}

}
