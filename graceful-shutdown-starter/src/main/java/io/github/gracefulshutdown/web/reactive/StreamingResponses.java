package io.github.gracefulshutdown.web.reactive;

import java.util.concurrent.atomic.AtomicLong;

import io.github.gracefulshutdown.web.EventStreamRequests;
import io.github.gracefulshutdown.web.StreamingResponseStats;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.web.server.ServerWebExchange;

/**
 * Ends the server-sent event streams of a reactive application, those that clients ask
 * for with a {@code GET}, cleanly when the drain closes long-lived connections. Their
 * body ends as if the application had completed it, so the client sees a normal end of
 * stream and resumes elsewhere with {@code Last-Event-ID}, instead of a cut connection,
 * and the web server's graceful shutdown, which waits for every open connection on
 * Reactor Netty, is not held open by them.
 */
public class StreamingResponses implements StreamingResponseStats {

	/**
	 * The {@code Accept} header's name in lower case, which a case-insensitive header map
	 * looks up without converting it for every request.
	 */
	private static final String ACCEPT = "accept";

	private final Sinks.One<Boolean> closing = Sinks.one();

	private final AtomicLong open = new AtomicLong();

	private final AtomicLong completedByDrain = new AtomicLong();

	private volatile boolean closed;

	/**
	 * Returns the exchange to pass on: when the request is a {@code GET} that asks for an
	 * event stream (its first {@code Accept} header names {@code text/event-stream}, as
	 * {@code EventSource} and event stream clients send it), a stream its client resumes
	 * when it ends, one whose response hands its event stream to this class; otherwise
	 * the exchange itself, so that code that needs the server's own response (Spring
	 * Cloud Gateway's status codes outside {@code HttpStatus}, zero-copy file transfer)
	 * finds it.
	 * @param exchange the exchange of a request
	 * @return the exchange to pass on
	 */
	ServerWebExchange track(ServerWebExchange exchange) {
		return asksForEventStream(exchange.getRequest()) ? new StreamTrackingExchange(exchange, this) : exchange;
	}

	private static boolean asksForEventStream(ServerHttpRequest request) {
		return EventStreamRequests.asksForEventStream(request.getMethod().name(),
				request.getHeaders().getFirst(ACCEPT));
	}

	/**
	 * Ends every event stream, now and from now on.
	 */
	public void completeAll() {
		this.closed = true;
		this.closing.tryEmitValue(Boolean.TRUE);
	}

	/**
	 * Returns whether the event streams have been ended.
	 * @return {@code true} once {@link #completeAll()} was called
	 */
	public boolean isClosed() {
		return this.closed;
	}

	/**
	 * Returns how many event streams are open.
	 * @return the number of open streams
	 */
	@Override
	public long getOpen() {
		return this.open.get();
	}

	/**
	 * Returns how many event streams the drain ended.
	 * @return the number of streams ended by the drain
	 */
	@Override
	public long getCompletedByDrain() {
		return this.completedByDrain.get();
	}

	/**
	 * Returns an event stream's body that ends when the drain ends the event streams.
	 * @param body the body, written with a flush after each element
	 * @return the body to write
	 */
	Flux<? extends Publisher<? extends DataBuffer>> endWithDrain(
			Publisher<? extends Publisher<? extends DataBuffer>> body) {
		if (this.closed) {
			return Flux.empty();
		}
		this.open.incrementAndGet();
		Mono<Boolean> drained = this.closing.asMono().doOnNext((closed) -> this.completedByDrain.incrementAndGet());
		return Flux.from(body).takeUntilOther(drained).doFinally((signal) -> this.open.decrementAndGet());
	}

}
