package io.github.gracefulshutdown.websocket.reactive;

import java.nio.charset.StandardCharsets;

import io.github.gracefulshutdown.websocket.WebSocketSessionDrain;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.server.reactive.ServerHttpResponse;
import org.springframework.web.server.ServerWebExchange;

/**
 * The answer to a WebSocket handshake that arrives once the drain closes sessions: 503
 * with {@code Retry-After}, so the client connects again in a second, and a load balancer
 * sends it to another instance.
 */
final class HandshakeRefusal {

	static final String RETRY_AFTER_SECONDS = "1";

	private static final byte[] BODY = "The server is shutting down; connect again.\n".getBytes(StandardCharsets.UTF_8);

	private static final MediaType TEXT_PLAIN_UTF8 = new MediaType(MediaType.TEXT_PLAIN, StandardCharsets.UTF_8);

	private HandshakeRefusal() {
	}

	/**
	 * Refuses the handshake of the given exchange and counts it.
	 * @param exchange the handshake
	 * @param drain the drain that counts refused handshakes
	 * @return completes once the refusal is written
	 */
	static Mono<Void> refuse(ServerWebExchange exchange, WebSocketSessionDrain drain) {
		drain.handshakeRejected();
		ServerHttpResponse response = exchange.getResponse();
		response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
		response.getHeaders().set(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
		response.getHeaders().setContentType(TEXT_PLAIN_UTF8);
		DataBuffer body = response.bufferFactory().wrap(BODY);
		return response.writeWith(Mono.just(body));
	}

}
