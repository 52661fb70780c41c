package io.github.gracefulshutdown.web.reactive;

import java.security.Principal;
import java.time.Instant;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

import org.springframework.context.ApplicationContext;
import org.springframework.context.i18n.LocaleContext;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.codec.multipart.Part;
import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.http.server.reactive.ServerHttpResponseDecorator;
import org.springframework.util.MultiValueMap;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.server.WebSession;

/**
 * The exchange that {@link DrainWebFilter} passes on for a request that asks for an event
 * stream: the request's own exchange, with a response whose server-sent event stream
 * {@link StreamingResponses} ends with the drain.
 * <p>
 * One object is both the exchange and its response, where
 * {@code exchange.mutate().response(...)} takes three: a builder, an exchange decorator
 * and a response decorator. It extends {@link ServerHttpResponseDecorator} so that code
 * that needs the server's own response (WebSocket upgrades) still finds it, and delegates
 * every other {@link ServerWebExchange} method to the request's exchange.
 */
final class StreamTrackingExchange extends ServerHttpResponseDecorator implements ServerWebExchange {

	private final ServerWebExchange exchange;

	private final StreamingResponses streams;

	StreamTrackingExchange(ServerWebExchange exchange, StreamingResponses streams) {
		super(exchange.getResponse());
		this.exchange = exchange;
		this.streams = streams;
	}

	/**
	 * Writes a streaming body, one the drain ends when it is a server-sent event stream.
	 * Other streaming bodies (NDJSON, for example) are left to the in-flight drain: a
	 * client cannot tell a finite stream that ends early from a complete one.
	 */
	@Override
	public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> body) {
		return super.writeAndFlushWith(isEventStream() ? this.streams.endWithDrain(body) : body);
	}

	private boolean isEventStream() {
		try {
			MediaType contentType = getHeaders().getContentType();
			return contentType != null && MediaType.TEXT_EVENT_STREAM.equalsTypeAndSubtype(contentType);
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	@Override
	public ServerHttpRequest getRequest() {
		return this.exchange.getRequest();
	}

	@Override
	public ServerHttpResponse getResponse() {
		return this;
	}

	@Override
	public Map<String, Object> getAttributes() {
		return this.exchange.getAttributes();
	}

	@Override
	public Mono<WebSession> getSession() {
		return this.exchange.getSession();
	}

	@Override
	public <T extends Principal> Mono<T> getPrincipal() {
		return this.exchange.getPrincipal();
	}

	@Override
	public Mono<MultiValueMap<String, String>> getFormData() {
		return this.exchange.getFormData();
	}

	@Override
	public Mono<MultiValueMap<String, Part>> getMultipartData() {
		return this.exchange.getMultipartData();
	}

	@Override
	public Mono<Void> cleanupMultipart() {
		return this.exchange.cleanupMultipart();
	}

	@Override
	public LocaleContext getLocaleContext() {
		return this.exchange.getLocaleContext();
	}

	@Override
	public @Nullable ApplicationContext getApplicationContext() {
		return this.exchange.getApplicationContext();
	}

	@Override
	public boolean isNotModified() {
		return this.exchange.isNotModified();
	}

	@Override
	public boolean checkNotModified(Instant lastModified) {
		return this.exchange.checkNotModified(lastModified);
	}

	@Override
	public boolean checkNotModified(String etag) {
		return this.exchange.checkNotModified(etag);
	}

	@Override
	public boolean checkNotModified(@Nullable String etag, Instant lastModified) {
		return this.exchange.checkNotModified(etag, lastModified);
	}

	@Override
	public String transformUrl(String url) {
		return this.exchange.transformUrl(url);
	}

	@Override
	public void addUrlTransformer(Function<String, String> transformer) {
		this.exchange.addUrlTransformer(transformer);
	}

	@Override
	public String getLogPrefix() {
		return this.exchange.getLogPrefix();
	}

	@Override
	public String toString() {
		return getClass().getSimpleName() + " [exchange=" + this.exchange + "]";
	}

}
