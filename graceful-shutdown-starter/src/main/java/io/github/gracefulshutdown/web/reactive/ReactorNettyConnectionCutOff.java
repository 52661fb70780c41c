package io.github.gracefulshutdown.web.reactive;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.web.InFlightRequestTable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import reactor.netty.Connection;

import org.springframework.http.server.reactive.ServerHttpRequest;
import org.springframework.http.server.reactive.ServerHttpRequestDecorator;

/**
 * Reports the requests still in flight at the in-flight deadline, then closes their
 * Reactor Netty connections: Reactor Netty's stop would otherwise wait for each of them
 * to end, up to its own timeout (3s), past the time the budget leaves for the web
 * server's stop. Requests served by another server are left to it.
 */
final class ReactorNettyConnectionCutOff implements Runnable {

	private static final Log logger = LogFactory.getLog(ReactorNettyConnectionCutOff.class);

	private final Runnable reporter;

	private final DrainCoordinator coordinator;

	private final InFlightRequestTable<ServerHttpRequest> table;

	ReactorNettyConnectionCutOff(Runnable reporter, DrainCoordinator coordinator,
			InFlightRequestTable<ServerHttpRequest> table) {
		this.reporter = reporter;
		this.coordinator = coordinator;
		this.table = table;
	}

	@Override
	public void run() {
		this.reporter.run();
		if (!this.coordinator.isDraining()) {
			return;
		}
		int closed = 0;
		for (ServerHttpRequest request : this.table.requests()) {
			if (nativeRequest(request) instanceof Connection connection && !connection.isDisposed()) {
				connection.dispose();
				closed++;
			}
		}
		if (closed > 0) {
			logger.info("Closed the connections of " + closed + ((closed == 1) ? " request" : " requests")
					+ " cut off at the in-flight deadline");
		}
	}

	private static Object nativeRequest(ServerHttpRequest request) {
		try {
			return ServerHttpRequestDecorator.getNativeRequest(request);
		}
		catch (IllegalArgumentException ex) {
			return request;
		}
	}

}
