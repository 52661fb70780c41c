package io.github.gracefulshutdown.websocket;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.test.TestDefaults;
import jakarta.websocket.Endpoint;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.EnableWebSocketMessageBroker;
import org.springframework.web.socket.config.annotation.StompEndpointRegistry;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;
import org.springframework.web.socket.config.annotation.WebSocketMessageBrokerConfigurer;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;
import org.springframework.web.socket.server.standard.ServerEndpointRegistration;
import org.springframework.web.socket.server.support.WebSocketHttpRequestHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link WebSocketDrainAutoConfiguration}.
 */
class WebSocketDrainAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				WebSocketDrainAutoConfiguration.class, LifecycleAutoConfiguration.class));

	private final WebApplicationContextRunner withEndpoints = this.runner
		.withUserConfiguration(EchoEndpointConfiguration.class);

	@Test
	void whenTheApplicationDeclaresNoWebSocketEndpointThenBacksOffAndTheBudgetHasNoWebSocketStep() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DrainCoordinator.class)
				.doesNotHaveBean(WebSocketSessionDrain.class)
				.doesNotHaveBean(ServerEndpointSessions.class)
				.doesNotHaveBean(SessionTrackingHandlerAdapter.class)
				.doesNotHaveBean(WebSocketDrainProperties.class);
			assertThat(context.getBean(DrainBudget.class).allotments()).extracting(DrainBudget.Allotment::step)
				.doesNotContain("websocket drain");
		});
	}

	@Test
	void whenCodeNeedsTheSessionsOfJakartaEndpointsThatNoBeanDeclaresThenTheFailureNamesTheProperty() {
		this.runner.withBean(JakartaEndpointUser.class).run((context) -> {
			assertThat(context).hasFailed();
			FailureAnalysis analysis = new MissingServerEndpointSessionsFailureAnalyzer()
				.analyze(context.getStartupFailure());
			assertThat(analysis).isNotNull();
			assertThat(analysis.getDescription()).contains("declares WebSocket endpoints")
				.contains("graceful-shutdown.websocket.enabled=true");
			assertThat(analysis.getAction()).contains("ServerEndpointExporter")
				.contains("set graceful-shutdown.websocket.enabled=true");
		});
	}

	@Test
	void otherMissingBeansAreLeftToSpringBootsAnalysis() {
		this.runner.withBean(DrainUser.class)
			.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(
					new MissingServerEndpointSessionsFailureAnalyzer().analyze(context.getStartupFailure()))
				.isNull());
	}

	@Test
	void whenEnabledWithoutEndpointsThenSessionsAreTracked() {
		this.runner.withPropertyValues("graceful-shutdown.websocket.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(WebSocketSessionDrain.class)
				.hasSingleBean(ServerEndpointSessions.class)
				.hasSingleBean(SessionTrackingHandlerAdapter.class));
	}

	@Test
	void stompEndpointsAreSeen() {
		this.runner.withUserConfiguration(StompEndpointConfiguration.class)
			.run((context) -> assertThat(context).hasSingleBean(SessionTrackingHandlerAdapter.class));
	}

	@Test
	void aRequestHandlerBeanMappedByTheApplicationIsSeen() {
		this.runner
			.withBean(WebSocketHttpRequestHandler.class,
					() -> new WebSocketHttpRequestHandler(new TextWebSocketHandler()))
			.run((context) -> assertThat(context).hasSingleBean(SessionTrackingHandlerAdapter.class));
	}

	@Test
	void aConfigurerBeanWithoutEnableWebSocketIsSeen() {
		// As Spring Integration's ServerWebSocketContainer, which maps its own endpoints
		this.runner.withBean(WebSocketConfigurer.class, () -> (registry) -> {
		}).run((context) -> assertThat(context).hasSingleBean(SessionTrackingHandlerAdapter.class));
	}

	@Test
	void aHandlerBeanMappedByTheApplicationIsSeen() {
		this.runner.withBean(TextWebSocketHandler.class)
			.run((context) -> assertThat(context).hasSingleBean(SessionTrackingHandlerAdapter.class));
	}

	@Test
	void aHandlerBeanOfAnotherAutoConfigurationIsSeenWhateverTheirNamesOrder() {
		this.runner.withConfiguration(AutoConfigurations.of(HandlerAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(SessionTrackingHandlerAdapter.class));
	}

	@Test
	void jakartaEndpointsAreSeen() {
		this.runner
			.withBean(ServerEndpointRegistration.class,
					() -> new ServerEndpointRegistration("/tracked", Endpoint.class))
			.run((context) -> assertThat(context).hasSingleBean(ServerEndpointSessions.class));
	}

	@Test
	void theExporterOfJakartaEndpointsIsSeen() {
		// Lazy: the exporter needs the server's container, which a mock servlet context
		// lacks
		this.runner
			.withBean(ServerEndpointExporter.class, ServerEndpointExporter::new,
					(definition) -> definition.setLazyInit(true))
			.run((context) -> assertThat(context).hasSingleBean(ServerEndpointSessions.class));
	}

	@Test
	void whenSpringWebSocketIsPresentThenSessionsAreTracked() {
		this.withEndpoints.run((context) -> assertThat(context).hasSingleBean(WebSocketDrainStats.class)
			.hasSingleBean(ServerEndpointSessions.class)
			.hasSingleBean(SessionTrackingHandlerAdapter.class)
			.hasSingleBean(WebSocketDrainTrigger.class)
			.hasSingleBean(WebSocketDrainProperties.class));
	}

	@Test
	void whenSpringWebSocketIsMissingThenBacksOff() {
		this.withEndpoints.withClassLoader(new FilteredClassLoader(WebSocketHttpRequestHandler.class))
			.run((context) -> assertThat(context).hasSingleBean(DrainCoordinator.class)
				.doesNotHaveBean(WebSocketDrainStats.class)
				.doesNotHaveBean(SessionTrackingHandlerAdapter.class));
	}

	@Test
	void whenTheJakartaWebSocketApiIsMissingThenBacksOff() {
		this.withEndpoints.withClassLoader(new FilteredClassLoader(jakarta.websocket.Session.class))
			.run((context) -> assertThat(context).doesNotHaveBean(WebSocketDrainStats.class));
	}

	@Test
	void whenNotAWebApplicationThenBacksOff() {
		new ApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
					WebSocketDrainAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(WebSocketDrainStats.class));
	}

	@Test
	void whenTheDrainIsDisabledThenBacksOff() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DrainCoordinator.class)
				.doesNotHaveBean(WebSocketDrainStats.class)
				.doesNotHaveBean(SessionTrackingHandlerAdapter.class));
	}

	@Test
	void whenTheWebSocketDrainIsDisabledThenEndpointsDoNotTurnItOn() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.websocket.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(DrainCoordinator.class)
				.doesNotHaveBean(WebSocketDrainStats.class)
				.doesNotHaveBean(SessionTrackingHandlerAdapter.class)
				.doesNotHaveBean(WebSocketDrainTrigger.class);
			assertThat(context.getBean(DrainBudget.class).allotments()).extracting(DrainBudget.Allotment::step)
				.doesNotContain("websocket drain");
		});
	}

	@Test
	void propertiesBind() {
		this.withEndpoints
			.withPropertyValues("graceful-shutdown.websocket.close-code=1012",
					"graceful-shutdown.websocket.close-reason=Restarting",
					"graceful-shutdown.websocket.close-spread=5s", "graceful-shutdown.websocket.close-timeout=1500ms")
			.run((context) -> {
				WebSocketDrainProperties properties = context.getBean(WebSocketDrainProperties.class);
				assertThat(properties.getCloseCode()).isEqualTo(1012);
				assertThat(properties.getCloseReason()).isEqualTo("Restarting");
				assertThat(properties.getCloseSpread()).isEqualTo(Duration.ofSeconds(5));
				assertThat(properties.getCloseTimeout()).isEqualTo(Duration.ofMillis(1500));
				assertThat(context.getBean(WebSocketSessionDrain.class).policy())
					.isEqualTo(new ClosePolicy(1012, "Restarting", Duration.ofSeconds(5), Duration.ofMillis(1500)));
			});
	}

	@Test
	void whenTheCloseDurationsHaveNoUnitThenTheyAreSeconds() {
		this.withEndpoints
			.withPropertyValues("graceful-shutdown.websocket.close-spread=5",
					"graceful-shutdown.websocket.close-timeout=1")
			.run((context) -> assertThat(context.getBean(WebSocketSessionDrain.class).policy()).isEqualTo(
					new ClosePolicy(1001, "Server shutting down", Duration.ofSeconds(5), Duration.ofSeconds(1))));
	}

	@Test
	void defaultsAreGoingAwaySpreadOverTwoSecondsWithThreeSecondsToAnswer() {
		this.withEndpoints.run((context) -> assertThat(context.getBean(WebSocketSessionDrain.class).policy())
			.isEqualTo(new ClosePolicy(1001, "Server shutting down", Duration.ofSeconds(2), Duration.ofSeconds(3))));
	}

	@Test
	void theBudgetCountsTheCloseSpreadAndTheCloseTimeout() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.delay=10s")
			.withBean("noWindowCoordinator", DrainCoordinator.class,
					() -> new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of, Clock.systemUTC()))
			.run((context) -> {
				DrainBudget budget = context.getBean(DrainBudget.class);
				assertThat(budget.allotments()).extracting(DrainBudget.Allotment::step)
					.containsExactly("window", "drain listeners", "websocket drain", "in-flight drain",
							"safety margin");
				assertThat(budget.allotments().get(2)).isEqualTo(new DrainBudget.Allotment("websocket drain",
						"graceful-shutdown.websocket.close-spread + graceful-shutdown.websocket.close-timeout",
						Duration.ofSeconds(5)));
				assertThat(budget.allotments().get(0).duration()).as("the window's ceiling leaves the drain its time")
					.isEqualTo(Duration.ofSeconds(17));
				assertThat(budget.inFlightTimeout()).isEqualTo(Duration.ofSeconds(5));
			});
	}

	@Test
	void whenTheWebSocketStepDoesNotFitThenStartupFailsNamingItsProperties() {
		this.withEndpoints
			.withPropertyValues("graceful-shutdown.websocket.close-spread=20s",
					"spring.lifecycle.timeout-per-shutdown-phase=10s")
			.run((context) -> assertFailure(context,
					"graceful-shutdown.websocket.close-spread + graceful-shutdown.websocket.close-timeout",
					"Shorten the steps above by 7s"));
	}

	@Test
	void serviceRestartIsAccepted() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.websocket.close-code=1012")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenTheCloseCodeCannotBeSentThenStartupFailsNamingTheProperty() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.websocket.close-code=1006")
			.run((context) -> assertFailure(context, "graceful-shutdown.websocket.close-code is 1006",
					"Set graceful-shutdown.websocket.close-code to 1001 (Going Away, the default) or 1012"));
	}

	@Test
	void whenTheCloseReasonIsLongerThan123BytesThenStartupFailsNamingTheProperty() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.websocket.close-reason=" + "é".repeat(62))
			.run((context) -> assertFailure(context,
					"graceful-shutdown.websocket.close-reason is 124 bytes long in UTF-8",
					"Shorten graceful-shutdown.websocket.close-reason to at most 123 bytes"));
	}

	@Test
	void aCloseReasonOf123BytesIsAccepted() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.websocket.close-reason=" + "x".repeat(123))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void whenTheCloseSpreadIsNegativeThenStartupFailsNamingTheProperty() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.websocket.close-spread=-1s")
			.run((context) -> assertFailure(context, "graceful-shutdown.websocket.close-spread is -1s",
					"Set graceful-shutdown.websocket.close-spread"));
	}

	@Test
	void whenTheCloseTimeoutIsNegativeThenStartupFailsNamingTheProperty() {
		this.withEndpoints.withPropertyValues("graceful-shutdown.websocket.close-timeout=-2s")
			.run((context) -> assertFailure(context, "graceful-shutdown.websocket.close-timeout is -2s",
					"Set graceful-shutdown.websocket.close-timeout"));
	}

	@Test
	void whenTheContextClosesThenTheConnectionDrainRunsBetweenTheWindowAndTheInFlightDrain() {
		this.withEndpoints.run((context) -> {
			DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
			WebSocketSessionDrain drain = context.getBean(WebSocketSessionDrain.class);

			context.close();

			assertThat(drain.isClosing()).isTrue();
			Drain finished = coordinator.drain().orElseThrow();
			assertThat(finished.timeline()).extracting("phase")
				.containsExactly(DrainPhase.PROPAGATION_WINDOW, DrainPhase.CONNECTION_DRAIN,
						DrainPhase.IN_FLIGHT_DRAIN);
		});
	}

	@Test
	void theTriggerRunsRightAfterTheWindowAndIgnoresOtherContexts() {
		this.withEndpoints.run((context) -> {
			WebSocketDrainTrigger trigger = context.getBean(WebSocketDrainTrigger.class);
			WebSocketSessionDrain drain = context.getBean(WebSocketSessionDrain.class);
			assertThat(trigger.getOrder()).isGreaterThan(org.springframework.core.Ordered.HIGHEST_PRECEDENCE);
			try (GenericApplicationContext child = new GenericApplicationContext()) {
				child.setParent(context);
				trigger.onApplicationEvent(new ContextClosedEvent(child));
			}
			assertThat(drain.isClosing()).isFalse();
		});
	}

	private void assertFailure(AssertableWebApplicationContext context, String description, String action) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(InvalidDrainConfigurationException.class)
			.hasMessageContaining(description);
		InvalidDrainConfigurationException failure = (InvalidDrainConfigurationException) rootCause(
				context.getStartupFailure());
		assertThat(failure.getAction()).contains(action);
	}

	private static Throwable rootCause(Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocket
	static class EchoEndpointConfiguration implements WebSocketConfigurer {

		@Override
		public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
			registry.addHandler(new TextWebSocketHandler(), "/echo");
		}

	}

	@Configuration(proxyBeanMethods = false)
	@EnableWebSocketMessageBroker
	static class StompEndpointConfiguration implements WebSocketMessageBrokerConfigurer {

		@Override
		public void registerStompEndpoints(StompEndpointRegistry registry) {
			registry.addEndpoint("/stomp");
		}

	}

	/**
	 * An auto-configuration of a library that maps a WebSocket handler, as Spring for
	 * GraphQL's does, named to come after the starter's in alphabetical order.
	 */
	@AutoConfiguration
	static class HandlerAutoConfiguration {

		@Bean
		TextWebSocketHandler libraryHandler() {
			return new TextWebSocketHandler();
		}

	}

	static class JakartaEndpointUser {

		JakartaEndpointUser(ServerEndpointSessions sessions) {
		}

	}

	static class DrainUser {

		DrainUser(DrainCoordinator coordinator) {
		}

	}

}
