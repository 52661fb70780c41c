package io.github.gracefulshutdown.e2e.load;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.gracefulshutdown.e2e.cluster.Endpoints;
import org.jspecify.annotations.Nullable;

/**
 * Client-side load balancing: the client keeps its own list of instances, sends requests
 * to them in turn on its pooled keep-alive connections, and learns of endpoint changes as
 * the endpoints controller makes them, which is after the propagation lag for a removal.
 */
public final class ClientSideBalancer implements RequestTarget, Endpoints {

	private final Map<String, Route> routesByPod = new LinkedHashMap<>();

	private volatile List<Route> routes = List.of();

	private final AtomicLong requests = new AtomicLong();

	@Override
	public @Nullable Route next() {
		List<Route> current = this.routes;
		if (current.isEmpty()) {
			return null;
		}
		return current.get((int) Math.floorMod(this.requests.getAndIncrement(), (long) current.size()));
	}

	@Override
	public synchronized void add(String pod, String instance, int port) {
		this.routesByPod.put(pod, new Route(URI.create("http://127.0.0.1:" + port), instance));
		this.routes = List.copyOf(new ArrayList<>(this.routesByPod.values()));
	}

	@Override
	public synchronized void remove(String pod) {
		this.routesByPod.remove(pod);
		this.routes = List.copyOf(new ArrayList<>(this.routesByPod.values()));
	}

}
