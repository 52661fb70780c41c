package io.github.gracefulshutdown.web.servlet;

import java.io.IOException;
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
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
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

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

/**
 * Cost of {@link DrainRequestFilter} per request, against a filter chain that does
 * nothing: what the starter adds to every request, outside a drain and during one.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(2)
public class DrainRequestFilterBenchmark {

	/**
	 * The filter under test, shared by all benchmark threads as it is by a server's
	 * request threads.
	 */
	@State(Scope.Benchmark)
	public static class Filter {

		@Param({ "false", "true" })
		public boolean draining;

		DrainRequestFilter filter;

		@Setup(Level.Trial)
		public void setUp() {
			DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of,
					Clock.systemUTC());
			if (this.draining) {
				coordinator.startDrain(DrainTrigger.APPLICATION);
			}
			ProbeDetector probes = new ProbeDetector(() -> ProbePaths.of(List.of("/actuator", "/livez", "/readyz")));
			probes.afterSingletonsInstantiated();
			this.filter = new DrainRequestFilter(
					coordinator, new RequestActivity(), new InFlightRequestTable<>(4096, (request,
							runningFor) -> new ActiveRequest(request.getMethod(), request.getRequestURI(), runningFor)),
					true, probes);
		}

	}

	/**
	 * One request and response per benchmark thread, reused for every call.
	 */
	@State(Scope.Thread)
	public static class Exchange {

		final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/orders/42");

		final MockHttpServletResponse response = new MockHttpServletResponse();

		FilterChain chain;

		@Setup(Level.Trial)
		public void setUp(Blackhole blackhole) {
			this.request.setProtocol("HTTP/1.1");
			this.chain = new ConsumingChain(blackhole);
		}

	}

	@Benchmark
	public void withoutFilter(Exchange exchange) throws IOException, ServletException {
		exchange.chain.doFilter(exchange.request, exchange.response);
	}

	@Benchmark
	public void withFilter(Filter filter, Exchange exchange) throws IOException, ServletException {
		filter.filter.doFilter(exchange.request, exchange.response, exchange.chain);
	}

	/**
	 * A chain that only hands the request to the black hole, so that nothing is optimized
	 * away.
	 */
	static final class ConsumingChain implements FilterChain {

		private final Blackhole blackhole;

		ConsumingChain(Blackhole blackhole) {
			this.blackhole = blackhole;
		}

		@Override
		public void doFilter(ServletRequest request, ServletResponse response) {
			this.blackhole.consume(request);
		}

	}

}
