package io.github.gracefulshutdown.web.server.jetty;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.web.server.Http2GoAwayDrainListener;
import org.eclipse.jetty.http2.server.AbstractHTTP2ServerConnectionFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link JettyHttp2GoAwayAutoConfiguration}.
 */
class JettyHttp2GoAwayAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				JettyServletWebServerAutoConfiguration.class, JettyHttp2GoAwayAutoConfiguration.class));

	@Test
	void whenSpringMvcRunsOnJettyThenItsHttp2ConnectionsAreToldToGoAwayAtTheWindowEnd() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(Http2GoAwayDrainListener.class)
			.getBean(Http2GoAwayDrainListener.class)
			.extracting("sender")
			.isInstanceOf(JettyHttp2GoAwaySender.class));
	}

	@Test
	void whenWebFluxRunsOnJettyThenItsHttp2ConnectionsAreToldToGoAwayAtTheWindowEnd() {
		new ReactiveWebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
					JettyReactiveWebServerAutoConfiguration.class, JettyHttp2GoAwayAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(Http2GoAwayDrainListener.class)
				.getBean(Http2GoAwayDrainListener.class)
				.extracting("sender")
				.isInstanceOf(JettyHttp2GoAwaySender.class));
	}

	@Test
	void whenConnectionsAreNotClosedDuringTheDrainThenHttp2ConnectionsAreLeftAloneToo() {
		this.runner.withPropertyValues("graceful-shutdown.close-connections=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Http2GoAwayDrainListener.class));
	}

	@Test
	void whenTheDrainIsDisabledThenNothingIsConfigured() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(Http2GoAwayDrainListener.class));
	}

	@Test
	void withoutJettysHttp2ServerNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(AbstractHTTP2ServerConnectionFactory.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Http2GoAwayDrainListener.class));
	}

	@Test
	void whenTheApplicationRunsOnTomcatThenNothingIsConfigured() {
		new WebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
					TomcatServletWebServerAutoConfiguration.class, JettyHttp2GoAwayAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Http2GoAwayDrainListener.class));
	}

}
