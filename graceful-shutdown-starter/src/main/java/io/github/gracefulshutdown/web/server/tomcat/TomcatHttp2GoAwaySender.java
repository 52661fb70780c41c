package io.github.gracefulshutdown.web.server.tomcat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

import io.github.gracefulshutdown.web.server.Http2GoAwaySender;
import org.apache.catalina.connector.Connector;
import org.apache.coyote.AbstractProtocol;
import org.apache.coyote.http2.Http2Protocol;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Sends a graceful GOAWAY on the HTTP/2 connections of an embedded Tomcat. A connector's
 * pause stops its acceptor, then tells each connection's processor to pause; the sender
 * takes only the second step, through the protocol handler's
 * {@link AbstractProtocol#getHandler() connection handler}, so the connector keeps
 * accepting connections while each open HTTP/2 connection (h2c by prior knowledge or by
 * upgrade, h2 negotiated over TLS) sends a GOAWAY with last stream id 2<sup>31</sup>-1
 * and goes on serving its streams. Tomcat sends the final GOAWAY, with the last stream it
 * took, only when the client opens a stream more than a round trip (plus the
 * {@link Http2Protocol#setDrainTimeout drain timeout}) later, a stream Tomcat then leaves
 * unprocessed. Processors of HTTP/1.1 and WebSocket connections ignore the pause.
 * <p>
 * Covers every connector of the application's Tomcat with an {@link Http2Protocol},
 * whether Spring Boot added it ({@code server.http2.enabled}) or a customizer did. Costs
 * nothing until the window ends: Tomcat already knows its connections.
 */
public class TomcatHttp2GoAwaySender implements Http2GoAwaySender {

	private final ApplicationContext context;

	/**
	 * Creates a sender.
	 * @param context the application context whose web server's HTTP/2 connections are
	 * told to go away
	 */
	public TomcatHttp2GoAwaySender(ApplicationContext context) {
		this.context = context;
	}

	/**
	 * Pauses the HTTP/2 connections of each connector on a thread of its own: each pause
	 * writes a GOAWAY frame with a blocking write, which a client that reads nothing can
	 * hold up to Tomcat's write timeout, and Tomcat's worker threads may all be busy with
	 * requests when the window ends.
	 * @return empty, as Tomcat does not say how many of its connections speak HTTP/2; 0
	 * when the application does not run on Tomcat or none of its connectors speaks HTTP/2
	 */
	@Override
	public OptionalInt sendGoAway() {
		List<AbstractProtocol<?>> protocols = new ArrayList<>();
		for (Connector connector : connectors()) {
			if (connector.getProtocolHandler() instanceof AbstractProtocol<?> protocol && speaksHttp2(connector)) {
				protocols.add(protocol);
			}
		}
		if (protocols.isEmpty()) {
			return OptionalInt.of(0);
		}
		Thread pausing = new Thread(() -> protocols.forEach((protocol) -> protocol.getHandler().pause()),
				"graceful-shutdown-http2-goaway");
		pausing.setDaemon(true);
		pausing.start();
		return OptionalInt.empty();
	}

	private Connector[] connectors() {
		WebServer webServer = (this.context instanceof WebServerApplicationContext webContext)
				? webContext.getWebServer() : null;
		return (webServer instanceof TomcatWebServer tomcat) ? tomcat.getTomcat().getService().findConnectors()
				: new Connector[0];
	}

	private static boolean speaksHttp2(Connector connector) {
		return Arrays.stream(connector.findUpgradeProtocols()).anyMatch(Http2Protocol.class::isInstance);
	}

}
