package io.github.gracefulshutdown.test;

import java.util.Arrays;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.reactor.netty.NettyWebServer;
import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.web.server.WebServer;
import org.springframework.web.reactive.socket.server.RequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.upgrade.JettyRequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.upgrade.ReactorNettyRequestUpgradeStrategy;
import org.springframework.web.reactive.socket.server.upgrade.StandardWebSocketUpgradeStrategy;

/**
 * The embedded web servers a WebFlux application can run on, with the properties that
 * select each: Reactor Netty, Tomcat and Jetty are all on the test classpath, as are
 * Spring MVC and the Servlet API, so each server is picked by excluding the other two.
 */
public enum ReactiveTestServer {

	/**
	 * Reactor Netty, Spring Boot's default for WebFlux.
	 */
	REACTOR_NETTY(NettyWebServer.class, ReactorNettyRequestUpgradeStrategy::new,
			"org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration",
			"org.springframework.boot.reactor.netty.autoconfigure.actuate.web.server.NettyReactiveManagementContextAutoConfiguration"),

	/**
	 * Embedded Tomcat, through the Servlet API; WebSocket handshakes go through its
	 * Jakarta WebSocket container.
	 */
	TOMCAT(TomcatWebServer.class, StandardWebSocketUpgradeStrategy::new,
			"org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration",
			"org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration"),

	/**
	 * Embedded Jetty, through the Servlet API; WebSocket handshakes go through Jetty's
	 * own WebSocket API.
	 */
	JETTY(JettyWebServer.class, JettyRequestUpgradeStrategy::new,
			"org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration",
			"org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration");

	/**
	 * The property that names the selected server, for
	 * {@link ReactiveWebSocketTestApplication}.
	 */
	public static final String PROPERTY = "test.reactive-server";

	private final Class<? extends WebServer> webServerType;

	private final Supplier<RequestUpgradeStrategy> upgradeStrategy;

	private final String[] autoConfigurations;

	ReactiveTestServer(Class<? extends WebServer> webServerType, Supplier<RequestUpgradeStrategy> upgradeStrategy,
			String... autoConfigurations) {
		this.webServerType = webServerType;
		this.upgradeStrategy = upgradeStrategy;
		this.autoConfigurations = autoConfigurations;
	}

	/**
	 * Returns the properties that start a reactive application on this server.
	 * @return the properties, as {@code key=value}
	 */
	public String[] properties() {
		String excluded = Arrays.stream(values())
			.filter((server) -> server != this)
			.flatMap((server) -> Arrays.stream(server.autoConfigurations))
			.collect(Collectors.joining(","));
		return new String[] { "spring.main.web-application-type=reactive", "spring.autoconfigure.exclude=" + excluded,
				PROPERTY + "=" + name() };
	}

	/**
	 * Returns the type of web server Spring Boot starts for this server.
	 * @return the web server type
	 */
	public Class<? extends WebServer> webServerType() {
		return this.webServerType;
	}

	/**
	 * Returns the WebSocket upgrade strategy for this server. Spring picks Jetty's
	 * whenever Jetty's WebSocket server is on the classpath, as it is in these tests, so
	 * the others must be set.
	 * @return a new upgrade strategy
	 */
	public RequestUpgradeStrategy upgradeStrategy() {
		return this.upgradeStrategy.get();
	}

}
