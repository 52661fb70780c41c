package io.github.gracefulshutdown.web.reactive;

import jakarta.servlet.http.HttpServletRequest;
import reactor.netty.http.server.HttpServerRequest;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;
import org.springframework.util.ClassUtils;

/**
 * Tells HTTP/1.x requests apart: WebFlux's request does not say which version of HTTP it
 * came in, the server's own request does. {@code Connection} is a connection-specific
 * header that HTTP/2 forbids, so a request whose version is not known is not HTTP/1.x.
 */
final class HttpVersions {

	private static final boolean REACTOR_NETTY_PRESENT = ClassUtils
		.isPresent("reactor.netty.http.server.HttpServerRequest", HttpVersions.class.getClassLoader());

	private static final boolean SERVLET_PRESENT = ClassUtils.isPresent("jakarta.servlet.http.HttpServletRequest",
			HttpVersions.class.getClassLoader());

	private HttpVersions() {
	}

	/**
	 * Returns whether the request came in over HTTP/1.0 or HTTP/1.1.
	 * @param request the request
	 * @return {@code true} for HTTP/1.x, {@code false} for HTTP/2 and when the server
	 * does not say
	 */
	static boolean isHttp1(ServerHttpRequest request) {
		Object nativeRequest = ServerHttpRequestDecorator.getNativeRequest(request);
		if (REACTOR_NETTY_PRESENT && ReactorNetty.isHttp1(nativeRequest)) {
			return true;
		}
		return SERVLET_PRESENT && Servlet.isHttp1(nativeRequest);
	}

	private static final class ReactorNetty {

		static boolean isHttp1(Object nativeRequest) {
			return nativeRequest instanceof HttpServerRequest request && request.version().majorVersion() == 1;
		}

	}

	private static final class Servlet {

		static boolean isHttp1(Object nativeRequest) {
			return nativeRequest instanceof HttpServletRequest request && request.getProtocol().startsWith("HTTP/1.");
		}

	}

}
