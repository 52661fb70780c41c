package io.github.gracefulshutdown.websocket.reactive;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import io.github.gracefulshutdown.websocket.reactive.SessionTrackingWebSocketHandlerAdapterTests.NeverEndingHandler;
import io.github.gracefulshutdown.websocket.reactive.SessionTrackingWebSocketHandlerAdapterTests.RecordingWebSocketService;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link SessionTrackingWebSocketService} and for when the starter decorates
 * {@code WebSocketService} beans with it.
 */
class SessionTrackingWebSocketServiceTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				ReactiveWebSocketDrainAutoConfiguration.class, LifecycleAutoConfiguration.class));

	@Test
	void whenAHandshakeIsServedThenItsSessionIsTrackedUntilItsHandlingEnds() {
		this.runner.run((context) -> {
			RecordingWebSocketService delegate = new RecordingWebSocketService();
			SessionTrackingWebSocketService service = new SessionTrackingWebSocketService(delegate,
					context.getBean(WebSocketSessionDrain.class));
			WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);

			Disposable handling = service.handleRequest(handshake(), new NeverEndingHandler()).subscribe();

			assertThat(delegate.handlers).singleElement().isInstanceOf(SessionTrackingHandler.class);
			assertThat(stats.getOpenSessions()).isOne();
			handling.dispose();
			assertThat(stats.getOpenSessions()).isZero();
		});
	}

	@Test
	void whenTheHandlerIsTrackedAlreadyThenItIsPassedOnAsItIs() {
		this.runner.run((context) -> {
			WebSocketSessionDrain drain = context.getBean(WebSocketSessionDrain.class);
			RecordingWebSocketService delegate = new RecordingWebSocketService();
			SessionTrackingWebSocketService service = new SessionTrackingWebSocketService(delegate, drain);
			ServerWebExchange exchange = handshake();
			WebSocketHandler tracked = SessionTrackingHandler.forHandshake(exchange, new NeverEndingHandler(), drain);

			Disposable handling = service.handleRequest(exchange, tracked).subscribe();

			assertThat(delegate.handlers).containsExactly(tracked);
			assertThat(context.getBean(WebSocketDrainStats.class).getOpenSessions()).isOne();
			handling.dispose();
		});
	}

	@Test
	void whenSpringCloudGatewayIsAbsentThenWebSocketServicesAreLeftAlone() {
		this.runner.withBean(RecordingWebSocketService.class)
			.run((context) -> assertThat(context).hasSingleBean(RecordingWebSocketService.class)
				.doesNotHaveBean(GatewayWebSocketServicePostProcessor.class));
	}

	private static ServerWebExchange handshake() {
		return MockServerWebExchange.from(MockServerHttpRequest.get("/echo").header("Upgrade", "websocket"));
	}

}
