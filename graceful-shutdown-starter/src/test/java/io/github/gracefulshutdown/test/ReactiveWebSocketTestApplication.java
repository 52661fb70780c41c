package io.github.gracefulshutdown.test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.config.WebFluxConfigurer;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketMessage;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.server.WebSocketService;
import org.springframework.web.reactive.socket.server.support.HandshakeWebSocketService;

/**
 * A WebFlux application with two WebSocket handlers that know nothing about the drain: an
 * echo at {@code /echo} and, at {@code /stream}, a handler that sends to its clients as
 * fast as they read.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class ReactiveWebSocketTestApplication {

	/**
	 * Sets the WebSocket upgrade strategy of the server the test selected with
	 * {@link ReactiveTestServer#properties()}.
	 * @param environment the environment
	 * @return the configurer that sets the WebSocket service
	 */
	@Bean
	WebFluxConfigurer selectedServerWebSocketService(Environment environment) {
		ReactiveTestServer server = environment.getRequiredProperty(ReactiveTestServer.PROPERTY,
				ReactiveTestServer.class);
		return new WebFluxConfigurer() {

			@Override
			public WebSocketService getWebSocketService() {
				return new HandshakeWebSocketService(server.upgradeStrategy());
			}

		};
	}

	@Bean
	StreamingHandler streamingHandler() {
		return new StreamingHandler();
	}

	@Bean
	HandlerMapping webSocketHandlerMapping(StreamingHandler streamingHandler) {
		return new SimpleUrlHandlerMapping(Map.of("/echo", new EchoHandler(), "/stream", streamingHandler), -1);
	}

	static class EchoHandler implements WebSocketHandler {

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			return session.send(session.receive().map((message) -> session.textMessage(message.getPayloadAsText())));
		}

	}

	/**
	 * Sends text messages to each client as fast as its connection takes them, until the
	 * connection ends.
	 */
	public static class StreamingHandler implements WebSocketHandler {

		private static final String CHUNK = "x".repeat(8192);

		private final Map<String, AtomicLong> lastSent = new ConcurrentHashMap<>();

		@Override
		public Mono<Void> handle(WebSocketSession session) {
			AtomicLong lastSent = new AtomicLong(System.nanoTime());
			this.lastSent.put(session.getId(), lastSent);
			Flux<WebSocketMessage> messages = Flux
				.<WebSocketMessage>generate((sink) -> sink.next(session.textMessage(CHUNK)))
				.doOnNext((message) -> lastSent.set(System.nanoTime()));
			return session.send(messages).doFinally((signal) -> this.lastSent.remove(session.getId()));
		}

		/**
		 * Returns the number of sessions that have sent nothing for longer than the given
		 * time: their clients have stopped reading.
		 * @param longerThan how long a session must have sent nothing
		 * @return the number of stalled sessions
		 */
		public long stalledSessions(Duration longerThan) {
			long now = System.nanoTime();
			return this.lastSent.values()
				.stream()
				.filter((lastSent) -> now - lastSent.get() > longerThan.toNanos())
				.count();
		}

	}

}
