package io.github.gracefulshutdown.web.server.tomcat;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.web.server.Http2GoAwayDrainListener;
import org.apache.coyote.http2.Http2Protocol;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TomcatHttp2GoAwayAutoConfiguration}.
 */
class TomcatHttp2GoAwayAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				TomcatServletWebServerAutoConfiguration.class, TomcatHttp2GoAwayAutoConfiguration.class));

	@Test
	void whenSpringMvcRunsOnTomcatThenItsHttp2ConnectionsAreToldToGoAwayAtTheWindowEnd() {
		this.runner.run((context) -> assertThat(context).hasSingleBean(Http2GoAwayDrainListener.class)
			.getBean(Http2GoAwayDrainListener.class)
			.extracting("sender")
			.isInstanceOf(TomcatHttp2GoAwaySender.class));
	}

	@Test
	void whenWebFluxRunsOnTomcatThenItsHttp2ConnectionsAreToldToGoAwayAtTheWindowEnd() {
		new ReactiveWebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
					TomcatReactiveWebServerAutoConfiguration.class, TomcatHttp2GoAwayAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(Http2GoAwayDrainListener.class)
				.getBean(Http2GoAwayDrainListener.class)
				.extracting("sender")
				.isInstanceOf(TomcatHttp2GoAwaySender.class));
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
	void whenTomcatHasNoHttp2ThenNothingIsConfigured() {
		this.runner.withClassLoader(new FilteredClassLoader(Http2Protocol.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Http2GoAwayDrainListener.class));
	}

	@Test
	void whenTheApplicationRunsOnJettyThenNothingIsConfigured() {
		new WebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
					JettyServletWebServerAutoConfiguration.class, TomcatHttp2GoAwayAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(Http2GoAwayDrainListener.class));
	}

}
