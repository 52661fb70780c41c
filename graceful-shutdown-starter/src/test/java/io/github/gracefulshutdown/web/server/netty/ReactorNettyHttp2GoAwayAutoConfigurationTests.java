package io.github.gracefulshutdown.web.server.netty;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.web.server.Http2GoAwayDrainListener;
import org.junit.jupiter.api.Test;
import reactor.netty.http.server.HttpServer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.reactor.netty.autoconfigure.NettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ReactorNettyHttp2GoAwayAutoConfiguration}.
 */
class ReactorNettyHttp2GoAwayAutoConfigurationTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withPropertyValues("server.http2.enabled=true")
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				NettyReactiveWebServerAutoConfiguration.class, ReactorNettyHttp2GoAwayAutoConfiguration.class));

	@Test
	void whenReactorNettyServesHttp2ThenItsConnectionsAreTrackedAndToldToGoAwayAtTheWindowEnd() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(ReactorNettyHttp2GoAwaySender.class)
			.hasBean("reactorNettyHttp2ConnectionTracking")
			.hasSingleBean(Http2GoAwayDrainListener.class));
	}

	@Test
	void whenHttp2IsNotEnabledThenNothingIsConfigured() {
		this.runner.withPropertyValues("server.http2.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactorNettyHttp2GoAwaySender.class)
				.doesNotHaveBean("reactorNettyHttp2ConnectionTracking")
				.doesNotHaveBean(Http2GoAwayDrainListener.class));
	}

	@Test
	void whenConnectionsAreNotClosedDuringTheDrainThenHttp2ConnectionsAreLeftAloneToo() {
		this.runner.withPropertyValues("graceful-shutdown.close-connections=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactorNettyHttp2GoAwaySender.class)
				.doesNotHaveBean(Http2GoAwayDrainListener.class));
	}

	@Test
	void whenTheDrainIsDisabledThenNothingIsConfigured() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ReactorNettyHttp2GoAwaySender.class));
	}

	@Test
	void whenReactorNettyIsAbsentThenNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(HttpServer.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ReactorNettyHttp2GoAwaySender.class));
	}

	@Test
	void whenWebFluxRunsOnTomcatThenNothingIsConfigured() {
		new ReactiveWebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withPropertyValues("server.http2.enabled=true")
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
					TomcatReactiveWebServerAutoConfiguration.class, ReactorNettyHttp2GoAwayAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ReactorNettyHttp2GoAwaySender.class));
	}

	@Test
	void inAServletApplicationNothingIsConfigured() {
		new WebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withPropertyValues("server.http2.enabled=true")
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
					ReactorNettyHttp2GoAwayAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(ReactorNettyHttp2GoAwaySender.class));
	}

}
