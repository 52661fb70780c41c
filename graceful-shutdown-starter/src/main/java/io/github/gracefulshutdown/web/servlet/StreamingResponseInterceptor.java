package io.github.gracefulshutdown.web.servlet;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.core.ResolvableType;
import org.springframework.http.HttpEntity;
import org.springframework.http.MediaType;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.AsyncHandlerInterceptor;
import org.springframework.web.servlet.mvc.method.annotation.ResponseBodyEmitter;
import org.springframework.web.servlet.mvc.method.annotation.StreamingResponseBody;

/**
 * Spots the requests whose response streams: handler methods that return a
 * {@link ResponseBodyEmitter} (such as an {@code SseEmitter}) or a
 * {@link StreamingResponseBody}, directly or in a {@code ResponseEntity}, and
 * asynchronous responses of type {@code text/event-stream}. Hands them to
 * {@link StreamingResponses} when they go asynchronous.
 */
class StreamingResponseInterceptor implements AsyncHandlerInterceptor {

	private final StreamingResponses streams;

	StreamingResponseInterceptor(StreamingResponses streams) {
		this.streams = streams;
	}

	@Override
	public void afterConcurrentHandlingStarted(HttpServletRequest request, HttpServletResponse response,
			Object handler) {
		if (returnsStream(handler) || isEventStream(response)) {
			this.streams.register(request);
		}
	}

	private static boolean returnsStream(Object handler) {
		if (!(handler instanceof HandlerMethod method)) {
			return false;
		}
		ResolvableType type = ResolvableType.forMethodParameter(method.getReturnType());
		if (HttpEntity.class.isAssignableFrom(type.toClass())) {
			type = type.getGeneric(0);
		}
		Class<?> body = type.toClass();
		return ResponseBodyEmitter.class.isAssignableFrom(body) || StreamingResponseBody.class.isAssignableFrom(body);
	}

	private static boolean isEventStream(HttpServletResponse response) {
		String contentType = response.getContentType();
		return contentType != null && contentType.startsWith(MediaType.TEXT_EVENT_STREAM_VALUE);
	}

}
