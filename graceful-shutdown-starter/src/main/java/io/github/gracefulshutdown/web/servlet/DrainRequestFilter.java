package io.github.gracefulshutdown.web.servlet;

import java.io.IOException;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.web.InFlightRequestTable;
import io.github.gracefulshutdown.web.ProbeDetector;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The drain's view of every request. Counts each request once, however many dispatches
 * (async, error) it goes through, and remembers it until it completes, asynchronous
 * completion included. During a drain, it also answers HTTP/1.x requests with
 * {@code Connection: close} so that clients holding kept-alive connections open a new
 * one, which their load balancer routes elsewhere, and it tells probes apart: health
 * checks and actuator requests keep arriving whatever the load balancers do, so they
 * neither extend the propagation window nor count in the measured propagation lag. Which
 * paths are probes is decided once, at startup (see {@link ProbeDetector}).
 * <p>
 * Outside a drain a request costs a volatile read, two counter updates and one
 * compare-and-set: no lock and no allocation. Requests that go asynchronous also get one
 * listener. During a drain, a request's path is also compared with each probe path.
 */
public class DrainRequestFilter implements Filter {

	private final DrainCoordinator coordinator;

	private final RequestActivity activity;

	private final InFlightRequestTable<HttpServletRequest> table;

	private final boolean closeConnections;

	private final ProbeDetector probes;

	DrainRequestFilter(DrainCoordinator coordinator, RequestActivity activity,
			InFlightRequestTable<HttpServletRequest> table, boolean closeConnections, ProbeDetector probes) {
		this.coordinator = coordinator;
		this.activity = activity;
		this.table = table;
		this.closeConnections = closeConnections;
		this.probes = probes;
	}

	@Override
	public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		if (!(request instanceof HttpServletRequest httpRequest)
				|| !(response instanceof HttpServletResponse httpResponse)) {
			chain.doFilter(request, response);
			return;
		}
		boolean draining = this.coordinator.isDraining();
		if (draining && this.closeConnections) {
			askClientToCloseConnection(httpRequest, httpResponse);
		}
		if (request.getDispatcherType() != DispatcherType.REQUEST) {
			chain.doFilter(request, response);
			return;
		}
		this.activity.requestReceived(
				draining && !this.probes.isProbe(httpRequest.getRequestURI(), httpRequest.getContextPath().length()));
		int slot = this.table.claim(httpRequest);
		boolean completesLater = false;
		try {
			chain.doFilter(request, response);
		}
		finally {
			if (request.isAsyncStarted()) {
				request.getAsyncContext().addListener(new AsyncCompletionListener(slot));
				completesLater = true;
			}
			if (!completesLater) {
				completed(slot);
			}
		}
	}

	private void completed(int slot) {
		this.table.release(slot);
		this.activity.requestCompleted();
	}

	private static void askClientToCloseConnection(HttpServletRequest request, HttpServletResponse response) {
		if (!response.isCommitted() && request.getProtocol().startsWith("HTTP/1.")
				&& request.getHeader("Upgrade") == null) {
			response.setHeader("Connection", "close");
		}
	}

	/**
	 * Completes an asynchronous request when the container says it is done, following it
	 * through any further asynchronous cycle.
	 */
	private final class AsyncCompletionListener implements AsyncListener {

		private final int slot;

		AsyncCompletionListener(int slot) {
			this.slot = slot;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			completed(this.slot);
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
			event.getAsyncContext().addListener(this);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

	}

}
