package io.github.gracefulshutdown.websocket;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.socket.server.standard.ServerEndpointExporter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

/**
 * Tests for {@link ServerEndpointSessionsAutoConfiguration}.
 */
class ServerEndpointSessionsAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(
				AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, WebSocketDrainAutoConfiguration.class,
						ServerEndpointSessionsAutoConfiguration.class, LifecycleAutoConfiguration.class));

	// Lazy: the exporter needs the server's container, which a mock servlet context lacks
	private final WebApplicationContextRunner withJakartaEndpoints = this.runner.withBean(ServerEndpointExporter.class,
			ServerEndpointExporter::new, (definition) -> definition.setLazyInit(true));

	@Test
	void whenTheWebSocketDrainIsOffThenJakartaEndpointsStillHandTheirSessionsOverAndTheyAreLeftAlone() {
		this.withJakartaEndpoints.withPropertyValues("graceful-shutdown.websocket.enabled=false").run((context) -> {
			assertThat(context).hasSingleBean(ServerEndpointSessions.class)
				.doesNotHaveBean(WebSocketSessionDrain.class);
			Session session = mock(Session.class);
			context.getBean(ServerEndpointSessions.class).track(session);
			verifyNoInteractions(session);
		});
	}

	@Test
	void whenTheDrainIsOffThenJakartaEndpointsStillHandTheirSessionsOver() {
		this.withJakartaEndpoints.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).hasSingleBean(ServerEndpointSessions.class)
				.doesNotHaveBean(WebSocketSessionDrain.class));
	}

	@Test
	void withTheWebSocketDrainTheSessionsGoToTheDrain() {
		this.withJakartaEndpoints.run((context) -> {
			assertThat(context).hasSingleBean(ServerEndpointSessions.class);
			Session session = mock(Session.class);
			given(session.isOpen()).willReturn(true);
			context.getBean(ServerEndpointSessions.class).track(session);
			assertThat(context.getBean(WebSocketDrainStats.class).getOpenSessions()).isOne();
		});
	}

	@Test
	void withoutJakartaEndpointsThereIsNone() {
		this.runner.withPropertyValues("graceful-shutdown.websocket.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ServerEndpointSessions.class));
	}

}
