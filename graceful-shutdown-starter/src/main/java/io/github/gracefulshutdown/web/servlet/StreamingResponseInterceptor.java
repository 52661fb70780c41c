package io.github.gracefulshutdown.web.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Spots the requests whose response is a server-sent event stream that its client can
 * resume: handler methods that return an {@link SseEmitter}, directly or in a
 * {@code ResponseEntity}, and asynchronous responses of type {@code text/event-stream},
 * for a {@code GET} request that asks for an event stream (as {@code EventSource} asks,
 * and reconnects when the stream ends), whose response {@link EventStreamRequestFilter}
 * made one the drain can end. Hands them to {@link StreamingResponses} when they go
 * asynchronous. Other streaming bodies ({@code ResponseBodyEmitter},
 * {@code StreamingResponseBody}), and event streams for other requests (an answer
 * streamed to a {@code POST}, token by token) are left to the in-flight drain: a client
 * cannot tell a response that ends early from a complete one.
 */
class StreamingResponseInterceptor implements AsyncHandlerInterceptor {

	private final StreamingResponses streams;

	StreamingResponseInterceptor(StreamingResponses streams) {
		this.streams = streams;
	}

	@Override
	public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
			Object handler) {
		EventStreamResponse eventStream = EventStreamRequestFilter.eventStreamResponse(request);
		if (eventStream != null && (returnsEventStream(handler) || isEventStream(response))) {
			this.streams.register(request, eventStream);
		}
	}

	private static boolean returnsEventStream(Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return false;
		}
		ResolvableType type = ResolvableType.forMethodParameter(method.getReturnType());
		if (HttpEntity.class.isAssignableFrom(type.toClass())) {
			type = type.getGeneric(0);
		}
		return SseEmitter.class.isAssignableFrom(type.toClass());
	}

	private static boolean isEventStream(HttpServletResponse response) {
		String contentType = response.getContentType();
		return contentType != null && contentType.startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
	}

}
