package io.github.gracefulshutdown.web.server.tomcat;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.web.server.Http2GoAwayDrainListener;
import org.apache.catalina.startup.Tomcat;
import org.apache.coyote.http2.Http2Protocol;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration that tells the clients of an embedded Tomcat's HTTP/2 connections to
 * go away at the end of the propagation window, as HTTP/1.x clients are told with
 * {@code Connection: close} during it; Spring MVC and WebFlux alike. Only when
 * connections are closed during the drain ({@code graceful-shutdown.close-connections});
 * connectors that do not speak HTTP/2 are left alone when the window ends.
 */
@AutoConfiguration(after = { GracefulShutdownAutoConfiguration.class, TomcatServletWebServerAutoConfiguration.class,
		TomcatReactiveWebServerAutoConfiguration.class })
@ConditionalOnClass({ Tomcat.class, Http2Protocol.class, TomcatWebServer.class })
@ConditionalOnWebApplication
@ConditionalOnDrain
@ConditionalOnBean(ConfigurableTomcatWebServerFactory.class)
@ConditionalOnBooleanProperty(name = "graceful-shutdown.close-connections", matchIfMissing = true)
public final class TomcatHttp2GoAwayAutoConfiguration {

	@Bean
	Http2GoAwayDrainListener tomcatHttp2GoAwayDrainListener(ApplicationContext context) {
		return new Http2GoAwayDrainListener(new TomcatHttp2GoAwaySender(context));
	}

}
