package io.github.gracefulshutdown.web;

import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;

/**
 * Tells the requests for a server-sent event stream that its client resumes when it ends:
 * a {@code GET} whose {@code Accept} header names {@code text/event-stream}, as
 * {@code EventSource} and event stream clients send it. Looks at the first {@code Accept}
 * header only, and allocates nothing, as it runs for every request.
 */
public final class EventStreamRequests {

	private static final String EVENT_STREAM = MediaType.TEXT_EVENT_STREAM_VALUE;

	private EventStreamRequests() {
	}

	/**
	 * Returns whether a request asks for an event stream it resumes.
	 * @param method the request's method
	 * @param accept the request's first {@code Accept} header, or {@code null}
	 * @return {@code true} for a {@code GET} that accepts {@code text/event-stream}
	 */
	public static boolean asksForEventStream(@Nullable String method, @Nullable String accept) {
		return "GET".equals(method) && accept != null && containsIgnoringCase(accept, EVENT_STREAM);
	}

	private static boolean containsIgnoringCase(String value, String part) {
		for (int start = 0; start + part.length() <= value.length(); start++) {
			if (value.regionMatches(true, start, part, 0, part.length())) {
				return true;
			}
		}
		return false;
	}

}
