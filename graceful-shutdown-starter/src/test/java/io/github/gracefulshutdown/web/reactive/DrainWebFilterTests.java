package io.github.gracefulshutdown.web.reactive;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.gracefulshutdown.drain.ActiveRequest;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.web.InFlightRequestTable;
import io.github.gracefulshutdown.web.ProbeDetector;
import io.github.gracefulshutdown.web.ProbePaths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.reactivestreams.Publisher;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.AbstractServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import org.springframework.web.server.ServerWebExchange;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link DrainWebFilter}, without a server: the request's life in flight and
 * the exchange it passes on.
 */
class DrainWebFilterTests {

	private final RequestActivity activity = new RequestActivity();

	private final InFlightRequestTable<ServerHttpRequest> table = new InFlightRequestTable<>(16, (request,
			runningFor) -> new ActiveRequest(request.getMethod().name(), request.getPath().value(), runningFor));

	private final StreamingResponses streams = new StreamingResponses();

	private final DrainWebFilter filter = new DrainWebFilter(
			new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of, Clock.systemUTC()), this.activity,
			this.table, true, new ProbeDetector(ProbePaths::none), this.streams);

	private final MockServerWebExchange exchange = MockServerWebExchange.from(MockServerHttpRequest.get("/orders/42"));

	private final MockServerWebExchange eventStreamExchange = MockServerWebExchange
		.from(MockServerHttpRequest.get("/orders/feed").header("Accept", "text/html, Text/Event-Stream;q=0.9"));

	@Test
	void whenARequestCompletesThenItIsInFlightUntilThen() {
		AtomicLong inFlightDuringChain = new AtomicLong();
		Mono<Void> result = this.filter.filter(this.exchange, (exchange) -> Mono.fromRunnable(() -> {
			inFlightDuringChain.set(this.activity.inFlight());
			assertThat(this.table.snapshot()).extracting(ActiveRequest::path).containsExactly("/orders/42");
		}));

		result.block();

		assertThat(inFlightDuringChain).hasValue(1);
		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.table.snapshot()).isEmpty();
	}

	@Test
	void whenTheServerCancelsARequestThenItIsNoLongerInFlight() {
		Disposable subscription = this.filter.filter(this.exchange, (exchange) -> Mono.never()).subscribe();
		assertThat(this.activity.inFlight()).isOne();

		subscription.dispose();

		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.table.snapshot()).isEmpty();
	}

	@Test
	void whenTheChainThrowsThenTheRequestIsNoLongerInFlight() {
		assertThatIllegalStateException().isThrownBy(() -> this.filter.filter(this.exchange, (exchange) -> {
			throw new IllegalStateException("broken filter");
		}));

		assertThat(this.activity.inFlight()).isZero();
		assertThat(this.table.snapshot()).isEmpty();
	}

	@Test
	void whenTheRequestAsksForAnEventStreamThenTheChainGetsADecoratorOfTheServersResponse() {
		ServerWebExchange passedOn = passedOn(this.eventStreamExchange);

		ServerHttpResponse response = passedOn.getResponse();
		assertThat(response).isInstanceOf(ServerHttpResponseDecorator.class);
		assertThat(((ServerHttpResponseDecorator) response).getDelegate())
			.isSameAs(this.eventStreamExchange.getResponse());
		assertThat(passedOn.getRequest()).isSameAs(this.eventStreamExchange.getRequest());
		assertThat(passedOn.getAttributes()).isSameAs(this.eventStreamExchange.getAttributes());
	}

	@Test
	void whenTheRequestDoesNotAskForAnEventStreamThenTheChainGetsTheServersOwnResponse() {
		ServerWebExchange passedOn = passedOn(this.exchange);

		assertThat(passedOn.getResponse())
			.as("code that needs the server's response type, such as Spring Cloud "
					+ "Gateway's non-standard status codes or zero-copy file transfer, finds it")
			.isSameAs(this.exchange.getResponse())
			.isInstanceOf(AbstractServerHttpResponse.class);
	}

	private ServerWebExchange passedOn(ServerWebExchange exchange) {
		AtomicReference<ServerWebExchange> passedOn = new AtomicReference<>();
		this.filter.filter(exchange, (passed) -> {
			passedOn.set(passed);
			return Mono.empty();
		}).block();
		return passedOn.get();
	}

	@Test
	void whenTheStreamsEndThenAnEventStreamEndsAndItsRequestIsNoLongerInFlight() {
		Publisher<Publisher<DataBuffer>> endless = Flux.never();
		AtomicReference<Boolean> completed = new AtomicReference<>();
		this.filter.filter(this.eventStreamExchange, (exchange) -> {
			exchange.getResponse().getHeaders().setContentType(MediaType.TEXT_EVENT_STREAM);
			return exchange.getResponse().writeAndFlushWith(endless);
		}).subscribe(null, null, () -> completed.set(true));
		assertThat(this.streams.getOpen()).isOne();
		assertThat(this.activity.inFlight()).isOne();

		this.streams.completeAll();

		assertThat(completed).hasValue(true);
		assertThat(this.streams.getOpen()).isZero();
		assertThat(this.streams.getCompletedByDrain()).isOne();
		assertThat(this.activity.inFlight()).isZero();
	}

	@ParameterizedTest(name = "{0} to a {1} that asks for an event stream: {2}")
	@CsvSource({ "text/event-stream, GET, false", "application/x-ndjson, GET, true", "text/event-stream, POST, true" })
	void whenTheStreamsEndThenAStreamTheyDoNotEndKeepsFlowingAsARequestInFlight(String contentType, HttpMethod method,
			boolean asksForEventStream) {
		Sinks.Many<Publisher<DataBuffer>> body = Sinks.many().unicast().onBackpressureBuffer();
		AtomicReference<Boolean> completed = new AtomicReference<>();
		MockServerHttpRequest.BaseBuilder<?> request = MockServerHttpRequest.method(method, "/orders/answer");
		if (asksForEventStream) {
			request.header("Accept", "text/event-stream");
		}
		this.filter.filter(MockServerWebExchange.from(request), (exchange) -> {
			exchange.getResponse().getHeaders().setContentType(MediaType.parseMediaType(contentType));
			return exchange.getResponse().writeAndFlushWith(body.asFlux());
		}).subscribe(null, null, () -> completed.set(true));

		this.streams.completeAll();

		assertThat(completed.get()).isNull();
		assertThat(this.streams.getOpen()).isZero();
		assertThat(this.activity.inFlight()).isOne();
		body.tryEmitComplete();
		assertThat(completed).hasValue(true);
		assertThat(this.streams.getCompletedByDrain()).isZero();
		assertThat(this.activity.inFlight()).isZero();
	}

	@Test
	void aStreamingBodyWithAMalformedContentTypeIsWrittenAsARequestInFlight() {
		AtomicReference<Boolean> completed = new AtomicReference<>();
		this.filter.filter(this.eventStreamExchange, (exchange) -> {
			exchange.getResponse().getHeaders().set("Content-Type", "not a media type");
			return exchange.getResponse().writeAndFlushWith(Flux.empty());
		}).subscribe(null, null, () -> completed.set(true));

		assertThat(completed).hasValue(true);
		assertThat(this.streams.getCompletedByDrain()).isZero();
	}

}
