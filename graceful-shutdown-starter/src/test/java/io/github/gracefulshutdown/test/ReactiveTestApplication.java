package io.github.gracefulshutdown.test;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A small WebFlux application for tests that run a real Reactor Netty server.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(ReactiveTestApplication.TestController.class)
public class ReactiveTestApplication {

	/**
	 * Selects Reactor Netty even though Tomcat and Jetty are on the test classpath.
	 */
	public static final String NETTY_SELECTION = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration,"
			+ "org.springframework.boot.jetty.autoconfigure.reactive.JettyReactiveWebServerAutoConfiguration,"
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatReactiveManagementContextAutoConfiguration,"
			+ "org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyReactiveManagementContextAutoConfiguration";

	@RestController
	public static class TestController {

		private final Sinks.Empty<Void> release = Sinks.empty();

		private final AtomicInteger entered = new AtomicInteger();

		@GetMapping("/hello")
		Mono<String> hello() {
			return Mono.just("hello");
		}

		/**
		 * Answers only once the test calls {@link #release()} (or after 30 seconds).
		 * @return the body, later
		 */
		@GetMapping("/blocking")
		Mono<String> blocking() {
			return Mono.defer(() -> {
				this.entered.incrementAndGet();
				return this.release.asMono().then(Mono.just("released")).timeout(Duration.ofSeconds(30));
			});
		}

		/**
		 * A server-sent event every 100 milliseconds, for a minute, with ids.
		 * @return the events
		 */
		@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
		Flux<ServerSentEvent<String>> events() {
			return Flux.interval(Duration.ofMillis(100))
				.onBackpressureDrop()
				.take(600)
				.map((tick) -> ServerSentEvent.builder("tick").id(Long.toString(tick)).build());
		}

		/**
		 * A download as NDJSON: a line every 100 milliseconds until the test calls
		 * {@link #release()} (or for a minute), then a last line {@code {"end":true}}.
		 * @return the lines
		 */
		@GetMapping(path = "/lines", produces = MediaType.APPLICATION_NDJSON_VALUE)
		Flux<Map<String, Object>> lines() {
			return Flux.interval(Duration.ofMillis(100))
				.onBackpressureDrop()
				.take(600)
				.<Map<String, Object>>map((tick) -> Map.of("line", tick))
				.takeUntilOther(this.release.asMono().then(Mono.just(true)))
				.concatWith(Mono.just(Map.of("end", true)));
		}

		public int entered() {
			return this.entered.get();
		}

		public void release() {
			this.release.tryEmitEmpty();
		}

	}

}
