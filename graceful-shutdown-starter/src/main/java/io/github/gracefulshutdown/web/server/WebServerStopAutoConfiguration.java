package io.github.gracefulshutdown.web.server;

import java.time.Duration;
import java.util.Arrays;

import io.github.gracefulshutdown.autoconfigure.ConditionalOnDrain;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import io.github.gracefulshutdown.drain.RequestActivity;
import org.apache.catalina.Engine;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardContext;
import org.apache.catalina.startup.Tomcat;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import reactor.netty.http.server.HttpServer;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.http.client.ReactorResourceFactory;

/**
 * Auto-configuration that bounds how long the embedded web server takes to stop once its
 * graceful phase is over. Left alone, Tomcat waits up to 5s for its worker threads and 2s
 * for servlets still in use, and Jetty up to 5s for its threads: with a request stuck
 * past the in-flight deadline that can push the exit past the termination grace period.
 * Together the waits are capped at a quarter of {@code graceful-shutdown.safety-margin},
 * so that the beans are destroyed before the watchdog's hard stop. Reactor Netty's stop
 * does not wait for such a request: its graceful shutdown, which the drain needs, has
 * already disposed the server, and the connections still open are closed when its event
 * loops stop, within that quarter. Its lifecycle timeout is left alone, as it also bounds
 * the server's bind at startup. On Tomcat, half the quarter first lets worker threads
 * finish writing the responses of requests that are over before the connector closes its
 * connections. Every connector of the server is bounded, Spring Boot's additional
 * connectors among them, within the same quarter.
 */
@AutoConfiguration(after = GracefulShutdownAutoConfiguration.class)
@ConditionalOnWebApplication
@ConditionalOnDrain
public final class WebServerStopAutoConfiguration {

	private static final String QUIET_PERIOD_PROPERTY = "spring.reactor.netty.shutdown-quiet-period";

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Tomcat.class, ConfigurableTomcatWebServerFactory.class })
	static class TomcatStopConfiguration {

		/**
		 * Splits the stop timeout between three sequential waits: half for the worker
		 * threads still finishing the responses of requests that are over, before the
		 * connectors close their connections; a quarter for Tomcat's worker threads to
		 * terminate; a quarter for servlets still in use. The connectors stop one after
		 * the other, so Spring Boot's additional connectors, which it adds without the
		 * connector customizers, share the first two waits with the main connector: one
		 * wait for the responses, and the quarter split between the connectors.
		 * @param properties the drain properties
		 * @param requests the requests in flight
		 * @return the customizer
		 */
		@Bean
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> tomcatStopTimeoutCustomizer(
				GracefulShutdownProperties properties, RequestActivity requests) {
			Duration stopTimeout = properties.serverStopTimeout();
			return (factory) -> {
				TomcatResponseFinishWait responseFinishWait = new TomcatResponseFinishWait(requests,
						stopTimeout.dividedBy(2));
				factory.addConnectorCustomizers(
						(connector) -> limitStop(connector, responseFinishWait, stopTimeout.dividedBy(4)));
				factory.addContextCustomizers((context) -> {
					if (context instanceof StandardContext standardContext) {
						standardContext.setUnloadDelay(stopTimeout.dividedBy(4).toMillis());
					}
					if (context.getParent() != null && context.getParent().getParent() instanceof Engine engine
							&& engine.getService() != null) {
						Connector[] connectors = engine.getService().findConnectors();
						for (Connector connector : connectors) {
							limitStop(connector, responseFinishWait, stopTimeout.dividedBy(4L * connectors.length));
						}
					}
				});
			};
		}

		private static void limitStop(Connector connector, TomcatResponseFinishWait responseFinishWait,
				Duration executorTerminationTimeout) {
			if (!Arrays.asList(connector.findLifecycleListeners()).contains(responseFinishWait)) {
				connector.addLifecycleListener(responseFinishWait);
			}
			connector.setProperty("executorTerminationTimeoutMillis",
					Long.toString(executorTerminationTimeout.toMillis()));
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ HttpServer.class, NettyReactiveWebServerFactory.class })
	static class NettyStopConfiguration {

		/**
		 * Once the drain is over the event loops have nothing left to finish: unless
		 * {@code spring.reactor.netty.shutdown-quiet-period} is set, they stop without
		 * Reactor Netty's 2s quiet period, within the stop timeout.
		 * @param properties the drain properties
		 * @param environment the environment
		 * @return the post-processor
		 */
		@Bean
		static BeanPostProcessor reactorResourceFactoryStopTimeoutPostProcessor(
				ObjectProvider<GracefulShutdownProperties> properties, Environment environment) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String beanName) {
					if (bean instanceof ReactorResourceFactory factory
							&& !environment.containsProperty(QUIET_PERIOD_PROPERTY)) {
						factory.setShutdownQuietPeriod(Duration.ZERO);
						factory.setShutdownTimeout(properties.getObject().serverStopTimeout());
					}
					return bean;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ Server.class, ConfigurableJettyWebServerFactory.class })
	static class JettyStopConfiguration {

		@Bean
		WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> jettyStopTimeoutCustomizer(
				GracefulShutdownProperties properties) {
			long millis = properties.serverStopTimeout().toMillis();
			return (factory) -> factory.addServerCustomizers((server) -> {
				if (server.getThreadPool() instanceof QueuedThreadPool threadPool) {
					threadPool.setStopTimeout(millis);
				}
			});
		}

	}

}
