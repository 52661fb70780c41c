package io.github.gracefulshutdown.web.server.jetty;

import java.util.OptionalInt;

import io.github.gracefulshutdown.web.server.Http2GoAwaySender;
import org.eclipse.jetty.http2.SessionContainer;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Connector;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;

/**
 * Sends a graceful GOAWAY on the HTTP/2 connections of an embedded Jetty, through the
 * graceful shutdown of each HTTP/2 session, one by one: the sessions that the HTTP/2
 * connection factory of each connector (h2c, or h2 negotiated over TLS) holds when the
 * window ends. Shutting the factory's whole session container down instead would also
 * shut down, at once, every session opened later, and the server keeps accepting
 * connections until its graceful phase.
 * <p>
 * Jetty's session shutdown sends a GOAWAY with last stream id 2<sup>31</sup>-1, takes the
 * streams the client opened before it saw that GOAWAY, and once no stream is left, sends
 * the final GOAWAY with the last stream it took; the connection closes when the client
 * answers with a GOAWAY of its own, or at Jetty's idle timeout. It does not block. Costs
 * nothing until the window ends: Jetty already knows its sessions.
 */
public class JettyHttp2GoAwaySender implements Http2GoAwaySender {

	private final ApplicationContext context;

	/**
	 * Creates a sender.
	 * @param context the application context whose web server's HTTP/2 connections are
	 * told to go away
	 */
	public JettyHttp2GoAwaySender(ApplicationContext context) {
		this.context = context;
	}

	@Override
	public OptionalInt sendGoAway() {
		int told = 0;
		for (Connector connector : connectors()) {
			for (ConnectionFactory factory : connector.getConnectionFactories()) {
				if (factory instanceof AbstractHTTP2ServerConnectionFactory http2) {
					told += shutDownSessions(http2);
				}
			}
		}
		return OptionalInt.of(told);
	}

	private Connector[] connectors() {
		WebServer webServer = (this.context instanceof WebServerApplicationContext webContext)
				? webContext.getWebServer() : null;
		return (webServer instanceof JettyWebServer jetty) ? jetty.getServer().getConnectors() : new Connector[0];
	}

	private static int shutDownSessions(AbstractHTTP2ServerConnectionFactory factory) {
		SessionContainer container = factory.getBean(SessionContainer.class);
		if (container == null) {
			return 0;
		}
		int told = 0;
		for (Session session : container.getSessions()) {
			if (!session.isClosed()) {
				session.shutdown();
				told++;
			}
		}
		return told;
	}

}
