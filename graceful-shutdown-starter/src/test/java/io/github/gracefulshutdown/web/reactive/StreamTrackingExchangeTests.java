package io.github.gracefulshutdown.web.reactive;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Arrays;

import org.junit.jupiter.api.Test;

import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.ServerWebExchangeDecorator;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StreamTrackingExchange}.
 */
class StreamTrackingExchangeTests {

	private final MockServerWebExchange exchange = MockServerWebExchange
		.from(MockServerHttpRequest.get("/events").header("Accept", "text/event-stream"));

	private final StreamTrackingExchange tracking = new StreamTrackingExchange(this.exchange, new StreamingResponses());

	@Test
	void whenSpringsExchangeDecoratorDelegatesAMethodThenSoDoesTheStreamTrackingExchange() {
		Method[] delegated = Arrays.stream(ServerWebExchangeDecorator.class.getDeclaredMethods())
			.filter((method) -> Modifier.isPublic(method.getModifiers()))
			.filter(StreamTrackingExchangeTests::isExchangeMethod)
			.toArray(Method[]::new);

		assertThat(delegated).isNotEmpty()
			.allSatisfy((method) -> assertThat(declares(method)).as(method.toString()).isTrue());
	}

	@Test
	void whenMutatedThenTheNewExchangeKeepsTheTrackedResponse() {
		ServerWebExchange mutated = this.tracking.mutate()
			.request((request) -> request.header("X-Request", "mutated"))
			.build();

		assertThat(mutated.getResponse()).isSameAs(this.tracking);
		assertThat(mutated.getRequest().getHeaders().getFirst("X-Request")).isEqualTo("mutated");
	}

	@Test
	void whenReadThenItAnswersForTheRequestsExchange() {
		this.exchange.getAttributes().put("tenant", "a");

		assertThat(this.tracking.getResponse()).isSameAs(this.tracking);
		assertThat(this.tracking.getDelegate()).isSameAs(this.exchange.getResponse());
		assertThat(this.tracking.getRequest()).isSameAs(this.exchange.getRequest());
		assertThat(this.tracking.<String>getAttribute("tenant")).isEqualTo("a");
		assertThat(this.tracking.getLogPrefix()).isEqualTo(this.exchange.getLogPrefix());
		assertThat(this.tracking.getLocaleContext().getLocale())
			.isEqualTo(this.exchange.getLocaleContext().getLocale());
		assertThat(this.tracking.getSession().block()).isSameAs(this.exchange.getSession().block());
	}

	private static boolean isExchangeMethod(Method method) {
		try {
			ServerWebExchange.class.getMethod(method.getName(), method.getParameterTypes());
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

	private static boolean declares(Method method) {
		try {
			StreamTrackingExchange.class.getDeclaredMethod(method.getName(), method.getParameterTypes());
			return true;
		}
		catch (NoSuchMethodException ex) {
			return false;
		}
	}

}
