package io.github.gracefulshutdown.grpc.servlet;

import java.io.IOException;
import java.util.Map;
import java.util.function.Supplier;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Makes Tomcat take 300 ms longer to write the trailers of a gRPC call that ends with an
 * error, as a worker thread descheduled between the end of the call's request and the
 * write of its status would: Tomcat asks for the trailers only when it finishes the
 * response, after the request is over for the application and the drain.
 */
final class SlowErrorTrailers extends OncePerRequestFilter {

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(request, new HttpServletResponseWrapper(response) {

			@Override
			public void setTrailerFields(Supplier<Map<String, String>> supplier) {
				super.setTrailerFields(() -> slowIfError(supplier.get()));
			}

		});
	}

	private static Map<String, String> slowIfError(Map<String, String> trailers) {
		if (!"0".equals(trailers.get("grpc-status"))) {
			try {
				Thread.sleep(300);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		return trailers;
	}

}
