package io.github.gracefulshutdown.sample.webflux;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Flux;

import org.springframework.http.MediaType;
import org.springframework.http.codec.ServerSentEvent;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * A stream of server-sent events: a tick every 200 ms, each with an id, so that a client
 * that reconnects (to this instance or another) resumes after the last tick it received
 * by sending it as {@code Last-Event-ID}. A client too slow for the ticks misses some,
 * and sees a gap in the ids. Nothing here knows about shutdown; the starter ends the
 * stream cleanly when the application stops.
 */
@RestController
class EventsController {

	private static final Duration TICK_INTERVAL = Duration.ofMillis(200);

	private static final Duration RECONNECT_DELAY = Duration.ofSeconds(1);

	/**
	 * Streams ticks, numbered from the one after {@code Last-Event-ID}, or from 1.
	 * @param lastEventId the id of the last tick the client received, if it resumes
	 * @return the ticks
	 */
	@GetMapping(path = "/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	Flux<ServerSentEvent<String>> events(
			@RequestHeader(name = "Last-Event-ID", required = false) @Nullable Long lastEventId) {
		long first = (lastEventId != null) ? lastEventId + 1 : 1;
		return Flux.interval(TICK_INTERVAL)
			.onBackpressureDrop()
			.map((count) -> first + count)
			.map((id) -> ServerSentEvent.builder("tick " + Instant.now())
				.id(Long.toString(id))
				.event("tick")
				.retry(RECONNECT_DELAY)
				.build());
	}

}
