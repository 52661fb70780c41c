package io.github.gracefulshutdown.web.server;

import java.util.Arrays;

import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.connector.Connector;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.tomcat.TomcatWebServer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stop of a real Tomcat whose every connector is bounded.
 */
class TomcatStopLimitsServerTests {

	private final RunningServers servers = new RunningServers();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@Test
	void anAdditionalConnectorSharesTheStopTimeoutWithTheMainConnector() {
		ConfigurableApplicationContext context = this.servers.start(new Class<?>[] { AdditionalConnector.class },
				TestServer.TOMCAT, null, "graceful-shutdown.safety-margin=4s");
		Connector[] connectors = ((TomcatWebServer) ((WebServerApplicationContext) context).getWebServer()).getTomcat()
			.getService()
			.findConnectors();

		assertThat(connectors).hasSize(2).allSatisfy((connector) -> {
			assertThat(connector.getProperty("executorTerminationTimeoutMillis"))
				.as("executor termination timeout of the connector on port %d", connector.getLocalPort())
				.hasToString("125");
			assertThat(Arrays.stream(connector.findLifecycleListeners()))
				.filteredOn(TomcatResponseFinishWait.class::isInstance)
				.as("waits for finishing responses of the connector on port %d", connector.getLocalPort())
				.singleElement()
				.isSameAs(responseFinishWait(connectors[0]))
				.extracting("timeout")
				.hasToString("PT0.5S");
		});
	}

	private static LifecycleListener responseFinishWait(Connector connector) {
		return Arrays.stream(connector.findLifecycleListeners())
			.filter(TomcatResponseFinishWait.class::isInstance)
			.findFirst()
			.orElseThrow();
	}

	@Configuration(proxyBeanMethods = false)
	static class AdditionalConnector {

		@Bean
		WebServerFactoryCustomizer<TomcatServletWebServerFactory> additionalConnector() {
			return (factory) -> {
				Connector connector = new Connector();
				connector.setPort(0);
				connector.setProperty("address", "127.0.0.1");
				factory.addAdditionalConnectors(connector);
			};
		}

	}

}
