package io.github.gracefulshutdown.e2e.cluster;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Collectors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

/**
 * The part of a Kubernetes API server that the endpoint-aware propagation window reads:
 * the one EndpointSlice of the pods' Service, served over plain HTTP on 127.0.0.1. A list
 * of the namespace's EndpointSlices answers with the slice and a resourceVersion; a watch
 * ({@code ?watch=true&resourceVersion=N}) streams every change after version N, one JSON
 * event a line, until the pod stops watching or the server closes.
 * <p>
 * As the pods' {@link Endpoints} it lists an added pod ready, and publishes a removed pod
 * as Kubernetes does for a terminating pod since 1.26 once the kubelet has seen its
 * readiness probe fail (the starter fails it at once): still listed,
 * {@code ready: false}, {@code serving: false}, {@code terminating: true}. A replacement
 * takes the place of the pod it replaces, as the old pod is gone from the API by then.
 * Endpoints name their pod in {@code targetRef}, by instance name; all pods listen on
 * 127.0.0.1, so their addresses are made up ({@code 10.244.0.N}) and the pods find
 * themselves by name.
 */
public final class EndpointSliceApiServer implements Endpoints, AutoCloseable {

	/**
	 * The namespace of the pods.
	 */
	public static final String NAMESPACE = "e2e";

	static final String SLICE = "sample-x7k2p";

	static final String SLICES_PATH = "/apis/discovery.k8s.io/v1/namespaces/" + NAMESPACE + "/endpointslices";

	private static final int FIRST_VERSION = 1000;

	private final HttpServer server;

	private final ExecutorService executor;

	private final Object lock = new Object();

	/**
	 * The endpoint of each pod, by pod name, in order; guarded by {@link #lock}.
	 */
	private final Map<String, Endpoint> endpoints = new LinkedHashMap<>();

	/**
	 * Every watch event so far; event {@code i} made version
	 * {@code FIRST_VERSION + i + 1}. Guarded by {@link #lock}.
	 */
	private final List<String> events = new ArrayList<>();

	private int addresses;

	private boolean closed;

	private EndpointSliceApiServer(HttpServer server, ExecutorService executor) {
		this.server = server;
		this.executor = executor;
	}

	/**
	 * Starts an API server with no endpoint yet on a free port of 127.0.0.1.
	 * @return the running server
	 * @throws IOException if it cannot listen
	 */
	public static EndpointSliceApiServer start() throws IOException {
		HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		// A thread per exchange: every watch holds one until it ends
		ExecutorService executor = Executors.newCachedThreadPool((task) -> {
			Thread thread = new Thread(task, "api-server");
			thread.setDaemon(true);
			return thread;
		});
		server.setExecutor(executor);
		EndpointSliceApiServer apiServer = new EndpointSliceApiServer(server, executor);
		server.createContext("/", apiServer::handle);
		server.start();
		return apiServer;
	}

	/**
	 * Returns the URL the pods reach the API server at.
	 * @return the base URL, plain http
	 */
	public URI url() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	/**
	 * Writes the pods' namespace into a file, as Kubernetes mounts it with the service
	 * account.
	 * @param directory where to write it
	 * @return the file
	 * @throws IOException if it cannot be written
	 */
	public static Path writeNamespaceFile(Path directory) throws IOException {
		Files.createDirectories(directory);
		return Files.writeString(directory.resolve("namespace"), NAMESPACE, StandardCharsets.UTF_8);
	}

	/**
	 * Lists the pod's new instance, ready, in place of its previous one.
	 */
	@Override
	public void add(String pod, String instance, int port) {
		synchronized (this.lock) {
			this.addresses++;
			this.endpoints.put(pod, new Endpoint(instance, "10.244.0." + this.addresses, true));
			publish();
		}
	}

	/**
	 * Publishes the pod's instance as terminating: listed, neither ready nor serving.
	 */
	@Override
	public void remove(String pod) {
		synchronized (this.lock) {
			Endpoint endpoint = this.endpoints.get(pod);
			if (endpoint != null && endpoint.ready()) {
				this.endpoints.put(pod, new Endpoint(endpoint.instance(), endpoint.address(), false));
				publish();
			}
		}
	}

	/**
	 * Ends every watch and stops the server.
	 */
	@Override
	public void close() {
		synchronized (this.lock) {
			this.closed = true;
			this.lock.notifyAll();
		}
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void publish() {
		String type = this.events.isEmpty() ? "ADDED" : "MODIFIED";
		int version = FIRST_VERSION + this.events.size() + 1;
		this.events.add("{\"type\":\"" + type + "\",\"object\":" + slice(version) + "}");
		this.lock.notifyAll();
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			if (!"GET".equals(exchange.getRequestMethod())) {
				status(exchange, 405, "MethodNotAllowed");
				return;
			}
			if (!SLICES_PATH.equals(exchange.getRequestURI().getPath())) {
				status(exchange, 404, "NotFound");
				return;
			}
			Map<String, String> query = query(exchange.getRequestURI().getRawQuery());
			if ("true".equals(query.get("watch"))) {
				watch(exchange, query.get("resourceVersion"));
			}
			else {
				list(exchange);
			}
		}
	}

	private void list(HttpExchange exchange) throws IOException {
		String list;
		synchronized (this.lock) {
			int version = FIRST_VERSION + this.events.size();
			list = "{\"kind\":\"EndpointSliceList\",\"apiVersion\":\"discovery.k8s.io/v1\",\"metadata\":"
					+ "{\"resourceVersion\":\"" + version + "\"},\"items\":["
					+ (this.events.isEmpty() ? "" : slice(version)) + "]}";
		}
		send(exchange, 200, list);
	}

	private void watch(HttpExchange exchange, @Nullable String resourceVersion) throws IOException {
		int next;
		synchronized (this.lock) {
			next = (resourceVersion != null) ? parseVersion(resourceVersion) - FIRST_VERSION : this.events.size();
		}
		if (next < 0) {
			status(exchange, 410, "Expired");
			return;
		}
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(200, 0);
		OutputStream body = exchange.getResponseBody();
		body.flush();
		try {
			while (true) {
				List<String> lines;
				synchronized (this.lock) {
					while (!this.closed && this.events.size() <= next) {
						this.lock.wait();
					}
					if (this.closed) {
						return;
					}
					lines = List.copyOf(this.events.subList(next, this.events.size()));
				}
				for (String line : lines) {
					body.write((line + "\n").getBytes(StandardCharsets.UTF_8));
				}
				body.flush();
				next += lines.size();
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		catch (IOException ex) {
			// The pod stopped watching
		}
	}

	private int parseVersion(String resourceVersion) {
		try {
			return Math.min(Integer.parseInt(resourceVersion), FIRST_VERSION + this.events.size());
		}
		catch (NumberFormatException ex) {
			return -1;
		}
	}

	private String slice(int version) {
		String listed = this.endpoints.values().stream().map(Endpoint::json).collect(Collectors.joining(","));
		return "{\"kind\":\"EndpointSlice\",\"apiVersion\":\"discovery.k8s.io/v1\",\"metadata\":{\"name\":\"" + SLICE
				+ "\",\"namespace\":\"" + NAMESPACE + "\",\"resourceVersion\":\"" + version
				+ "\",\"labels\":{\"kubernetes.io/service-name\":\"sample\"}},\"addressType\":\"IPv4\",\"endpoints\":["
				+ listed + "],\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]}";
	}

	private static Map<String, String> query(@Nullable String query) {
		Map<String, String> parameters = new LinkedHashMap<>();
		if (query != null) {
			for (String parameter : query.split("&")) {
				int equals = parameter.indexOf('=');
				if (equals > 0) {
					parameters.put(parameter.substring(0, equals), parameter.substring(equals + 1));
				}
			}
		}
		return parameters;
	}

	private static void status(HttpExchange exchange, int code, String reason) throws IOException {
		send(exchange, code, "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"reason\":\"" + reason
				+ "\",\"code\":" + code + "}");
	}

	private static void send(HttpExchange exchange, int code, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(code, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	/**
	 * A pod's endpoint in the slice.
	 */
	private record Endpoint(String instance, String address, boolean ready) {

		String json() {
			return "{\"addresses\":[\"" + this.address + "\"],\"conditions\":{\"ready\":" + this.ready + ",\"serving\":"
					+ this.ready + ",\"terminating\":" + !this.ready + "},\"targetRef\":{\"kind\":\"Pod\","
					+ "\"namespace\":\"" + NAMESPACE + "\",\"name\":\"" + this.instance + "\"}}";
		}

	}

}
