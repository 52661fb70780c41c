package io.github.gracefulshutdown.web.server;

import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import io.github.gracefulshutdown.test.TestDefaults;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.http.client.ReactorResourceFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WebServerStopAutoConfiguration}.
 */
class WebServerStopAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(
				AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, WebServerStopAutoConfiguration.class));

	@Test
	void customizesEveryEmbeddedServerOnTheClasspath() {
		this.runner.run((context) -> assertThat(context).hasBean("tomcatStopTimeoutCustomizer")
			.hasBean("jettyStopTimeoutCustomizer"));
	}

	@Test
	void whenJettyIsAbsentThenOnlyTomcatIsCustomized() {
		this.runner.withClassLoader(new FilteredClassLoader(Server.class))
			.run((context) -> assertThat(context).hasBean("tomcatStopTimeoutCustomizer")
				.doesNotHaveBean("jettyStopTimeoutCustomizer"));
	}

	@Test
	void whenTheDrainIsDisabledThenBacksOff() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("tomcatStopTimeoutCustomizer")
				.doesNotHaveBean("jettyStopTimeoutCustomizer"));
	}

	@Test
	void reactorNettysEventLoopsStopWithinTheStopTimeoutAndWithoutAQuietPeriod() {
		this.runner.withBean(ReactorResourceFactory.class, ReactorResourceFactory::new)
			.run((context) -> assertThat(context).getBean(ReactorResourceFactory.class)
				.extracting("shutdownQuietPeriod", "shutdownTimeout")
				.containsExactly(Duration.ZERO, Duration.ofMillis(500)));
	}

	@Test
	void whenTheQuietPeriodIsSetThenReactorNettyKeepsIt() {
		this.runner.withBean(ReactorResourceFactory.class, ReactorResourceFactory::new)
			.withPropertyValues("spring.reactor.netty.shutdown-quiet-period=3s")
			.run((context) -> assertThat(context.getBean(ReactorResourceFactory.class))
				.extracting("shutdownQuietPeriod")
				.isNotEqualTo(Duration.ZERO));
	}

	@Test
	void theWebServerStopGetsAQuarterOfTheSafetyMargin() {
		GracefulShutdownProperties properties = new GracefulShutdownProperties();
		properties.setSafetyMargin(Duration.ofSeconds(3));
		assertThat(properties.serverStopTimeout()).isEqualTo(Duration.ofMillis(750));
	}

}
