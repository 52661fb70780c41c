package io.github.gracefulshutdown.web.servlet;

import java.io.IOException;

import io.github.gracefulshutdown.web.EventStreamRequests;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * Gives each request that asks for an event stream its client resumes (see
 * {@link EventStreamRequests}) a response the drain can end between two events, an
 * {@link EventStreamResponse}, and leaves every other request as it is. Runs right after
 * {@link DrainRequestFilter}, before Spring Security's filters and the application's, so
 * that their writes go through it.
 */
class EventStreamRequestFilter implements Filter {

	private static final String RESPONSE_ATTRIBUTE = EventStreamResponse.class.getName();

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (request instanceof HttpServletRequest httpRequest && response instanceof HttpServletResponse httpResponse
				&& EventStreamRequests.asksForEventStream(httpRequest.getMethod(),
						httpRequest.getHeader(HttpHeaders.ACCEPT))) {
			EventStreamResponse eventStream = new EventStreamResponse(httpResponse);
			request.setAttribute(RESPONSE_ATTRIBUTE, eventStream);
			chain.doFilter(request, eventStream);
		}
		else {
			chain.doFilter(request, response);
		}
	}

	/**
	 * Returns the response this filter gave a request that asks for an event stream.
	 * @param request the request
	 * @return the response, or {@code null} if the request does not ask for an event
	 * stream
	 */
	static @Nullable EventStreamResponse eventStreamResponse(HttpServletRequest request) {
		return (request.getAttribute(RESPONSE_ATTRIBUTE) instanceof EventStreamResponse response) ? response : null;
	}

}
