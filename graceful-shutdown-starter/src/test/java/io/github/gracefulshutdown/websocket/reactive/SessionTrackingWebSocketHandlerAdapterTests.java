package io.github.gracefulshutdown.websocket.reactive;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.reactive.DispatcherHandler;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.HandlerResult;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.WebSocketHandlerAdapter;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link SessionTrackingWebSocketHandlerAdapter}: how it takes its place in
 * WebFlux's own request handling, with Spring Boot's WebFlux configuration. These tests
 * fail if WebFlux changes the way it serves WebSocket handshakes under the adapter.
 */
class SessionTrackingWebSocketHandlerAdapterTests {

	private final ReactiveWebApplicationContextRunner runner = new ReactiveWebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(
				AutoConfigurations.of(WebFluxAutoConfiguration.class, GracefulShutdownAutoConfiguration.class,
						ReactiveWebSocketDrainAutoConfiguration.class, LifecycleAutoConfiguration.class))
		.withUserConfiguration(EchoConfiguration.class);

	@Test
	void webFluxHandsHandshakesToTheTrackingAdapterWhichUsesTheApplicationsWebSocketService() {
		this.runner.withUserConfiguration(WebSocketServiceConfiguration.class).run((context) -> {
			RecordingWebSocketService service = context.getBean(RecordingWebSocketService.class);
			WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);

			Disposable handling = dispatch(context, "/echo").subscribe();

			assertThat(service.handlers).singleElement().isInstanceOf(SessionTrackingHandler.class);
			assertThat(stats.getOpenSessions()).isOne();
			handling.dispose();
			assertThat(stats.getOpenSessions()).isZero();
		});
	}

	@Test
	void theTrackingAdapterIsOrderedRightBeforeWebFluxsOwn() {
		this.runner.run((context) -> {
			WebSocketHandlerAdapter webFluxAdapter = context.getBean("webFluxWebSocketHandlerAdapter",
					WebSocketHandlerAdapter.class);
			assertThat(context.getBean(SessionTrackingWebSocketHandlerAdapter.class).getOrder())
				.isEqualTo(webFluxAdapter.getOrder() - 1);
		});
	}

	@Test
	void whenTheApplicationDeclaresItsOwnWebSocketHandlerAdapterThenItsServicePerformsTheHandshakes() {
		this.runner.withUserConfiguration(OwnAdapterConfiguration.class).run((context) -> {
			RecordingWebSocketService service = context.getBean(RecordingWebSocketService.class);
			SessionTrackingWebSocketHandlerAdapter tracking = context
				.getBean(SessionTrackingWebSocketHandlerAdapter.class);

			Disposable handling = dispatch(context, "/echo").subscribe();

			assertThat(service.handlers).singleElement().isInstanceOf(SessionTrackingHandler.class);
			assertThat(tracking.getOrder()).isEqualTo(context.getBean("ownAdapter", Ordered.class).getOrder() - 1);
			handling.dispose();
		});
	}

	@Test
	void aWebSocketHandlerAdapterThatOverridesHandleIsLeftToServeTheHandshakesUntracked() {
		this.runner.withUserConfiguration(OverridingAdapterConfiguration.class).run((context) -> {
			OverridingAdapter adapter = context.getBean(OverridingAdapter.class);

			dispatch(context, "/echo").block();

			assertThat(adapter.handlers).singleElement().isInstanceOf(NeverEndingHandler.class);
			assertThat(context.getBean(WebSocketDrainStats.class).getOpenSessions()).isZero();
		});
	}

	@Test
	void aHandlerThatThrowsEndsTheTrackingOfItsSession() {
		this.runner.withUserConfiguration(WebSocketServiceConfiguration.class).run((context) -> {
			WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);

			Mono<Void> handling = dispatch(context, "/failing");

			assertThat(handling.onErrorComplete().block()).isNull();
			assertThat(stats.getOpenSessions()).isZero();
		});
	}

	private static Mono<Void> dispatch(AssertableReactiveWebApplicationContext context, String path) {
		ServerWebExchange exchange = MockServerWebExchange
			.from(MockServerHttpRequest.get(path).header("Upgrade", "websocket"));
		return context.getBean(DispatcherHandler.class).handle(exchange);
	}

	private static WebSocketSession session() {
		WebSocketSession session = mock(WebSocketSession.class);
		given(session.getId()).willReturn("1");
		given(session.isOpen()).willReturn(true);
		return session;
	}

	@Configuration(proxyBeanMethods = false)
	static class EchoConfiguration {

		@Bean
		HandlerMapping webSocketHandlerMapping() {
			WebSocketHandler failing = (session) -> {
				throw new IllegalStateException("Handler failure");
			};
			return new SimpleUrlHandlerMapping(Map.of("/echo", new NeverEndingHandler(), "/failing", failing), -1);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class WebSocketServiceConfiguration {

		@Bean
		RecordingWebSocketService recordingWebSocketService() {
			return new RecordingWebSocketService();
		}

		@Bean
		WebFluxConfigurer webSocketServiceConfigurer(RecordingWebSocketService service) {
			return new WebFluxConfigurer() {

				@Override
				public WebSocketService getWebSocketService() {
					return service;
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnAdapterConfiguration {

		@Bean
		RecordingWebSocketService recordingWebSocketService() {
			return new RecordingWebSocketService();
		}

		@Bean
		WebSocketHandlerAdapter ownAdapter(RecordingWebSocketService service) {
			return new WebSocketHandlerAdapter(service);
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OverridingAdapterConfiguration {

		@Bean
		OverridingAdapter overridingAdapter() {
			return new OverridingAdapter();
		}

	}

	/**
	 * Completes the handshake at once and hands the handler a session.
	 */
	static class RecordingWebSocketService implements WebSocketService {

		final List<WebSocketHandler> handlers = new CopyOnWriteArrayList<>();

		@Override
		public Mono<Void> handleRequest(ServerWebExchange exchange, WebSocketHandler handler) {
			this.handlers.add(handler);
			return handler.handle(session());
		}

	}

	static class OverridingAdapter extends WebSocketHandlerAdapter {

		final List<Object> handlers = new CopyOnWriteArrayList<>();

		@Override
		public Mono<HandlerResult> handle(ServerWebExchange exchange, Object handler) {
			this.handlers.add(handler);
			return Mono.empty();
		}

	}

	static class NeverEndingHandler implements WebSocketHandler {

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			return Mono.never();
		}

	}

}
