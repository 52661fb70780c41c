package io.github.gracefulshutdown.web.reactive;

import java.util.function.IntConsumer;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.web.InFlightRequestTable;
import io.github.gracefulshutdown.web.ProbeDetector;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.core.Ordered;
import org.springframework.http.HttpHeaders;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebFilter;
import org.springframework.web.server.WebFilterChain;

/**
 * The drain's view of every reactive request, the sibling of the servlet stack's
 * {@code DrainRequestFilter}: counts each request until its response completes (or the
 * client goes away), remembers it so that the in-flight deadline can name it, tells
 * probes apart from traffic, and during a drain asks HTTP/1.x clients holding kept-alive
 * connections to reconnect ({@code Connection: close}), through their load balancer, to
 * another instance. Streaming responses are handed to {@link StreamingResponses}, which
 * ends server-sent event streams cleanly after the propagation window.
 * <p>
 * Requests of a child context, those of a separate management port, pass untouched: they
 * are not the application's traffic, as on the servlet stack, whose filter is not
 * registered on that port (WebFlux hands a child context's handler the filters of its
 * parent too).
 * <p>
 * Outside a drain a request costs a volatile read, two counter updates, two
 * compare-and-sets, a look at its first {@code Accept} header and one object (32 bytes
 * with compressed references): the {@link InFlightMono} that follows the request to its
 * end. A {@code WebFilter} sees the end of a request only through the {@code Mono} it
 * returns, so it must return one of its own. A request that asks for an event stream also
 * gets a {@link StreamTrackingExchange}, whose response ends the stream with the drain.
 */
public class DrainWebFilter implements WebFilter, Ordered, ApplicationContextAware {

	private final DrainCoordinator coordinator;

	private final RequestActivity activity;

	private final InFlightRequestTable<ServerHttpRequest> table;

	private final boolean closeConnections;

	private final ProbeDetector probes;

	private final StreamingResponses streams;

	private final IntConsumer releaseSlot = this::completed;

	private @Nullable ApplicationContext application;

	DrainWebFilter(DrainCoordinator coordinator, RequestActivity activity,
			InFlightRequestTable<ServerHttpRequest> table, boolean closeConnections, ProbeDetector probes,
			StreamingResponses streams) {
		this.coordinator = coordinator;
		this.activity = activity;
		this.table = table;
		this.closeConnections = closeConnections;
		this.probes = probes;
		this.streams = streams;
	}

	@Override
	public void setApplicationContext(ApplicationContext application) {
		this.application = application;
	}

	@Override
	public Mono<Void> filter(ServerWebExchange exchange, WebFilterChain chain) {
		if (isOfChildContext(exchange)) {
			return chain.filter(exchange);
		}
		ServerHttpRequest request = exchange.getRequest();
		boolean draining = this.coordinator.isDraining();
		if (draining && this.closeConnections) {
			askClientToCloseConnection(exchange);
		}
		this.activity.requestReceived(draining && !isProbe(request));
		int slot = this.table.claim(request);
		Mono<Void> rest;
		try {
			rest = chain.filter(this.streams.track(exchange));
		}
		catch (RuntimeException | Error ex) {
			completed(slot);
			throw ex;
		}
		return InFlightMono.of(rest, slot, this.releaseSlot);
	}

	private boolean isOfChildContext(ServerWebExchange exchange) {
		ApplicationContext context = exchange.getApplicationContext();
		return this.application != null && context != null && context.getParent() == this.application;
	}

	private void completed(int slot) {
		this.table.release(slot);
		this.activity.requestCompleted();
	}

	private boolean isProbe(ServerHttpRequest request) {
		return this.probes.isProbe(request.getPath().value(), request.getPath().contextPath().value().length());
	}

	private static void askClientToCloseConnection(ServerWebExchange exchange) {
		ServerHttpRequest request = exchange.getRequest();
		if (!exchange.getResponse().isCommitted() && HttpVersions.isHttp1(request)
				&& !request.getHeaders().containsHeader(HttpHeaders.UPGRADE)) {
			exchange.getResponse().getHeaders().set(HttpHeaders.CONNECTION, "close");
		}
	}

	@Override
	public int getOrder() {
		return Ordered.HIGHEST_PRECEDENCE;
	}

}
