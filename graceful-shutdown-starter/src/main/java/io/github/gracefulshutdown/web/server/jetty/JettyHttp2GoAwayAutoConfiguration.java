package io.github.gracefulshutdown.web.server.jetty;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.web.server.Http2GoAwayDrainListener;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.eclipse.jetty.server.Server;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that tells the clients of an embedded Jetty's HTTP/2 connections to
 * go away at the end of the propagation window, as HTTP/1.x clients are told with
 * {@code Connection: close} during it; Spring MVC and WebFlux alike. Only with Jetty's
 * HTTP/2 server ({@code org.eclipse.jetty.http2:jetty-http2-server}, which
 * {@code server.http2.enabled} needs on Jetty) and when connections are closed during the
 * drain ({@code graceful-shutdown.close-connections}).
 */
@AutoConfiguration(after = { GracefulShutdownAutoConfiguration.class, JettyServletWebServerAutoConfiguration.class,
		JettyReactiveWebServerAutoConfiguration.class })
@ConditionalOnClass({ Server.class, AbstractHTTP2ServerConnectionFactory.class, JettyWebServer.class })
@ConditionalOnWebApplication
@ConditionalOnDrain
@ConditionalOnBean(ConfigurableJettyWebServerFactory.class)
@ConditionalOnBooleanProperty(name = "graceful-shutdown.close-connections", matchIfMissing = true)
public final class JettyHttp2GoAwayAutoConfiguration {

	@Bean
	Http2GoAwayDrainListener jettyHttp2GoAwayDrainListener(ApplicationContext context) {
		return new Http2GoAwayDrainListener(new JettyHttp2GoAwaySender(context));
	}

}
