package io.github.gracefulshutdown.sample.webflux;

import java.time.Duration;
import java.time.Instant;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

import org.springframework.stereotype.Component;
import org.springframework.web.reactive.socket.WebSocketHandler;
import org.springframework.web.reactive.socket.WebSocketSession;

/**
 * A live feed: every connected client gets a tick every second, the same tick for all; a
 * client too slow to take a tick misses it rather than hold back the others. Nothing here
 * knows about shutdown; the starter closes the sessions with a close frame when the
 * application stops.
 */
@Component
class FeedHandler implements WebSocketHandler {

	private static final Duration TICK_INTERVAL = Duration.ofSeconds(1);

	private final Flux<String> ticks = Flux.interval(TICK_INTERVAL).map((count) -> "tick " + Instant.now()).share();

	@Override
	public Mono<Void> handle(WebSocketSession session) {
		Mono<Void> sendTicks = session.send(this.ticks.onBackpressureDrop().map(session::textMessage));
		Mono<Void> untilClientCloses = session.receive().then();
		return Mono.firstWithSignal(sendTicks, untilClientCloses);
	}

}
