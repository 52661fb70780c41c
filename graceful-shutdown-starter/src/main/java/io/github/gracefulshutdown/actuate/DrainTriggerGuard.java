package io.github.gracefulshutdown.actuate;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

/**
 * Decides whether the current call may start a drain: only an HTTP request with the
 * header {@value #HEADER_NAME}{@code : }{@value #HEADER_VALUE}. A browser adds no custom
 * header when it follows a link, submits a form or sends a {@code no-cors} request, and
 * sends a cross-site request with one only after a CORS preflight the actuator refuses
 * unless configured otherwise; so no crawler and no page on another site can start a
 * drain, while the kubelet's {@code httpGet} hook sends the header through its
 * {@code httpHeaders}.
 * <p>
 * Actuator operations do not see request headers, so the request is taken from
 * {@link RequestContextHolder}, which Spring MVC's {@code DispatcherServlet} fills on the
 * main port and on a separate management port alike. Where no request is bound (a JMX
 * call, a stack that does not fill it), the call is refused.
 */
final class DrainTriggerGuard {

	static final String HEADER_NAME = "Graceful-Shutdown-Trigger";

	static final String HEADER_VALUE = "drain";

	private DrainTriggerGuard() {
	}

	/**
	 * Returns the answer that refuses the current call, or {@code null} when the call may
	 * start a drain.
	 * @return a {@code 400 Bad Request} answer that says what is missing, or {@code null}
	 */
	static @Nullable WebEndpointResponse<OperationResponseBody> refusal() {
		if (!(RequestContextHolder.getRequestAttributes() instanceof ServletRequestAttributes attributes)) {
			return refuse("this call is not an HTTP request served by Spring MVC");
		}
		String value = attributes.getRequest().getHeader(HEADER_NAME);
		if (value == null) {
			return refuse("the request has no " + HEADER_NAME + " header");
		}
		if (!HEADER_VALUE.equals(value)) {
			return refuse("the request's " + HEADER_NAME + " header is not '" + HEADER_VALUE + "'");
		}
		return null;
	}

	private static WebEndpointResponse<OperationResponseBody> refuse(String reason) {
		String message = "No drain started: %s. A drain starts only on a request with the header '%s: %s'."
			.formatted(reason, HEADER_NAME, HEADER_VALUE);
		return new WebEndpointResponse<>(new Refusal(message), WebEndpointResponse.STATUS_BAD_REQUEST);
	}

	/**
	 * Why a call did not start a drain.
	 *
	 * @param message what was missing, and what to send
	 */
	record Refusal(String message) implements OperationResponseBody {

	}

}
