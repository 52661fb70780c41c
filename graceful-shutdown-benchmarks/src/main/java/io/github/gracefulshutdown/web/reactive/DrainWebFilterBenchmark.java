package io.github.gracefulshutdown.web.reactive;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.ActiveRequest;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.web.InFlightRequestTable;
import io.github.gracefulshutdown.web.ProbeDetector;
import io.github.gracefulshutdown.web.ProbePaths;
import org.jspecify.annotations.Nullable;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.codec.ServerCodecConfigurer;
import org.springframework.http.server.reactive.AbstractServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.SslInfo;
import org.springframework.mock.http.server.reactive.MockServerHttpResponse;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilterChain;
import org.springframework.web.server.adapter.DefaultServerWebExchange;
import org.springframework.web.server.i18n.AcceptHeaderLocaleContextResolver;
import org.springframework.web.server.session.DefaultWebSessionManager;

/**
 * Cost of {@link DrainWebFilter} per request, against a filter chain that completes at
 * once: what the starter adds to every reactive request, outside a drain and during one.
 * Each call subscribes to the filter's result, as the server does.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class DrainWebFilterBenchmark {

	/**
	 * The filter under test, shared by all benchmark threads as it is by a server's event
	 * loops.
	 */
	@State(Scope.Benchmark)
	public static class Filter {

		@Param({ "false", "true" })
		public boolean draining;

		DrainWebFilter filter;

		@Setup(Level.Trial)
		public void setUp() {
			DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of,
					Clock.systemUTC());
			if (this.draining) {
				coordinator.startDrain(DrainTrigger.APPLICATION);
			}
			ProbeDetector probes = new ProbeDetector(() -> ProbePaths.of(List.of("/actuator", "/livez", "/readyz")));
			probes.afterSingletonsInstantiated();
			this.filter = new DrainWebFilter(coordinator, new RequestActivity(),
					new InFlightRequestTable<>(4096,
							(request, runningFor) -> new ActiveRequest(request.getMethod().name(),
									request.getPath().value(), runningFor)),
					true, probes, new StreamingResponses());
		}

	}

	/**
	 * One exchange, chain and subscriber per benchmark thread, reused for every call.
	 */
	@State(Scope.Thread)
	public static class Exchange {

		ServerWebExchange exchange;

		WebFilterChain chain;

		CoreSubscriber<Void> subscriber;

		@Setup(Level.Trial)
		public void setUp(Blackhole blackhole) {
			this.exchange = new DefaultServerWebExchange(new Http11Request("/orders/42"), new MockServerHttpResponse(),
					new DefaultWebSessionManager(), ServerCodecConfigurer.create(),
					new AcceptHeaderLocaleContextResolver());
			this.chain = new CompletingChain(blackhole);
			this.subscriber = new ConsumingSubscriber(blackhole);
		}

	}

	@Benchmark
	public void withoutFilter(Exchange exchange) {
		exchange.chain.filter(exchange.exchange).subscribe(exchange.subscriber);
	}

	@Benchmark
	public void withFilter(Filter filter, Exchange exchange) {
		filter.filter.filter(exchange.exchange, exchange.chain).subscribe(exchange.subscriber);
	}

	/**
	 * A request that arrived over HTTP/1.1 on a servlet container: the filter reads the
	 * protocol from the native request, which {@code MockServerHttpRequest} does not
	 * have.
	 */
	static final class Http11Request extends AbstractServerHttpRequest {

		private final MockHttpServletRequest nativeRequest;

		Http11Request(String path) {
			super(HttpMethod.GET, URI.create("http://localhost:8080" + path), null, new HttpHeaders());
			this.nativeRequest = new MockHttpServletRequest("GET", path);
			this.nativeRequest.setProtocol("HTTP/1.1");
		}

		@Override
		protected MultiValueMap<String, HttpCookie> initCookies() {
			return new LinkedMultiValueMap<>();
		}

		@Override
		protected @Nullable SslInfo initSslInfo() {
			return null;
		}

		@Override
		@SuppressWarnings("unchecked")
		public <T> T getNativeRequest() {
			return (T) this.nativeRequest;
		}

		@Override
		public Flux<DataBuffer> getBody() {
			return Flux.empty();
		}

	}

	/**
	 * A chain that hands the exchange to the black hole, so that nothing is optimized
	 * away, and completes at once.
	 */
	static final class CompletingChain implements WebFilterChain {

		private final Blackhole blackhole;

		CompletingChain(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public Mono<Void> filter(ServerWebExchange exchange) {
			this.blackhole.consume(exchange);
			return Mono.empty();
		}

	}

	/**
	 * Requests everything and hands the completion to the black hole. It holds no state,
	 * so one per thread serves every call, one after the other, and the benchmark
	 * measures the filter's allocation rather than the subscriber's.
	 */
	static final class ConsumingSubscriber implements CoreSubscriber<Void> {

		private final Blackhole blackhole;

		ConsumingSubscriber(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Void value) {
		}

		@Override
		public void onError(Throwable error) {
			this.blackhole.consume(error);
		}

		@Override
		public void onComplete() {
			this.blackhole.consume(true);
		}

	}

}
