package io.github.gracefulshutdown.kubernetes;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import javax.net.ssl.SSLContext;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

/**
 * A Kubernetes API server that serves the EndpointSlices of one namespace over real HTTP
 * on a free local port, as the real one does: a list with a resourceVersion, then a watch
 * that streams one JSON event a line. Tests change the slices while the watch is open,
 * end watches as the real one does after its timeout, and make the server refuse, hang or
 * answer nonsense.
 */
final class FakeApiServer implements AutoCloseable {

	static final String NAMESPACE = "shop";

	static final String POD = "shop-7d4b9c-x2x9k";

	static final String POD_IP = "10.1.2.3";

	private static final String PATH = "/apis/discovery.k8s.io/v1/namespaces/" + NAMESPACE + "/endpointslices";

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "fake-api-server");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, String> slices = new ConcurrentHashMap<>();

	private final List<OpenWatch> watches = new CopyOnWriteArrayList<>();

	private final AtomicInteger resourceVersion = new AtomicInteger(100);

	private final List<String> authorizations = new CopyOnWriteArrayList<>();

	private final CountDownLatch closed = new CountDownLatch(1);

	private volatile int listStatus = 200;

	private final AtomicInteger lists = new AtomicInteger();

	private final AtomicInteger watchRequests = new AtomicInteger();

	private final AtomicInteger nextWatchStatus = new AtomicInteger();

	private volatile boolean watchHangs;

	private volatile boolean watchesEndAtOnce;

	FakeApiServer() throws IOException {
		this(null);
	}

	/**
	 * Creates a server that answers over https with the given TLS context, or over http
	 * without one.
	 */
	FakeApiServer(SSLContext tls) throws IOException {
		InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
		if (tls != null) {
			HttpsServer https = HttpsServer.create(address, 0);
			https.setHttpsConfigurator(new HttpsConfigurator(tls));
			this.server = https;
		}
		else {
			this.server = HttpServer.create(address, 0);
		}
		this.server.setExecutor(this.executor);
		this.server.createContext(PATH, this::handle);
		this.server.start();
	}

	URI url() {
		String scheme = (this.server instanceof HttpsServer) ? "https" : "http";
		return URI.create(scheme + "://127.0.0.1:" + this.server.getAddress().getPort());
	}

	/**
	 * Puts a slice that lists endpoints, each given as {@code name:state} for a pod of
	 * that name whose IP is made up, or {@code ip=name:state} with its IP. The state is
	 * {@code true} for a ready pod, {@code serving} for a terminating pod whose readiness
	 * probe has not failed yet (not ready, serving), {@code false} for a terminating pod
	 * whose probe has failed (neither).
	 */
	void slice(String name, String... endpoints) {
		this.slices.put(name, sliceJson(name, endpoints));
	}

	void answerListWith(int status) {
		this.listStatus = status;
	}

	void hangWatches() {
		this.watchHangs = true;
	}

	/**
	 * Ends every watch after its response headers, without an event.
	 */
	void endWatchesAtOnce() {
		this.watchesEndAtOnce = true;
	}

	/**
	 * Answers the next watch request with this status and a Status object, as the real
	 * server answers a watch from an expired resourceVersion with 410.
	 */
	void answerNextWatchWith(int status) {
		this.nextWatchStatus.set(status);
	}

	/**
	 * Ends the response of every open watch cleanly, as the real server does when a watch
	 * reaches its timeout.
	 */
	void endWatches() {
		for (OpenWatch watch : this.watches) {
			this.watches.remove(watch);
			watch.end().countDown();
		}
	}

	/**
	 * Removes a slice without telling the open watches.
	 */
	void removeSlice(String name) {
		this.slices.remove(name);
	}

	int openWatches() {
		return this.watches.size();
	}

	int lists() {
		return this.lists.get();
	}

	int watchRequests() {
		return this.watchRequests.get();
	}

	List<String> authorizations() {
		return this.authorizations;
	}

	/**
	 * Sends an event to every open watch, and keeps the slice as the event leaves it.
	 */
	void publish(String type, String name, String... endpoints) {
		String slice = sliceJson(name, endpoints);
		if (type.equals("DELETED")) {
			this.slices.remove(name);
		}
		else {
			this.slices.put(name, slice);
		}
		send("{\"type\":\"" + type + "\",\"object\":" + slice + "}");
	}

	/**
	 * Sends a line as it is to every open watch.
	 */
	void send(String line) {
		byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
		for (OpenWatch watch : this.watches) {
			synchronized (watch.body()) {
				try {
					watch.body().write(bytes);
					watch.body().flush();
				}
				catch (IOException ex) {
					this.watches.remove(watch);
				}
			}
		}
	}

	private void handle(HttpExchange exchange) throws IOException {
		String authorization = exchange.getRequestHeaders().getFirst("Authorization");
		if (authorization != null) {
			this.authorizations.add(authorization);
		}
		String query = exchange.getRequestURI().getQuery();
		if (query != null && query.contains("watch=true")) {
			watch(exchange);
			return;
		}
		this.lists.incrementAndGet();
		String list = "{\"kind\":\"EndpointSliceList\",\"apiVersion\":\"discovery.k8s.io/v1\",\"metadata\":"
				+ "{\"resourceVersion\":\"" + this.resourceVersion.incrementAndGet() + "\"},\"items\":["
				+ String.join(",", this.slices.values()) + "]}";
		respond(exchange, this.listStatus, (this.listStatus == 200) ? list : status(this.listStatus));
	}

	private void watch(HttpExchange exchange) throws IOException {
		this.watchRequests.incrementAndGet();
		int status = this.nextWatchStatus.getAndSet(0);
		if (status != 0) {
			respond(exchange, status, status(status));
			return;
		}
		try {
			if (this.watchHangs) {
				this.closed.await();
				return;
			}
			exchange.getResponseHeaders().add("Content-Type", "application/json");
			exchange.sendResponseHeaders(200, 0);
			OutputStream out = exchange.getResponseBody();
			out.flush();
			if (this.watchesEndAtOnce) {
				return;
			}
			OpenWatch watch = new OpenWatch(out, new CountDownLatch(1));
			this.watches.add(watch);
			watch.end().await();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			exchange.close();
		}
	}

	private static void respond(HttpExchange exchange, int status, String json) throws IOException {
		byte[] body = json.getBytes(StandardCharsets.UTF_8);
		exchange.getResponseHeaders().add("Content-Type", "application/json");
		exchange.sendResponseHeaders(status, body.length);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(body);
		}
	}

	private static String status(int code) {
		return "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"status\":\"Failure\",\"code\":" + code + "}";
	}

	private static String sliceJson(String name, String... endpoints) {
		String listed = List.of(endpoints).stream().map(FakeApiServer::endpoint).collect(Collectors.joining(","));
		return "{\"kind\":\"EndpointSlice\",\"apiVersion\":\"discovery.k8s.io/v1\",\"metadata\":{\"name\":\"" + name
				+ "\",\"namespace\":\"" + NAMESPACE + "\"},\"addressType\":\"IPv4\",\"endpoints\":[" + listed
				+ "],\"ports\":[{\"name\":\"http\",\"port\":8080,\"protocol\":\"TCP\"}]}";
	}

	private static String endpoint(String endpoint) {
		String ip = endpoint.contains("=") ? endpoint.substring(0, endpoint.indexOf('=')) : "10.9.9.9";
		String[] pod = endpoint.substring(endpoint.indexOf('=') + 1).split(":");
		boolean ready = "true".equals(pod[1]);
		boolean serving = !"false".equals(pod[1]);
		return "{\"addresses\":[\"" + ip + "\"],\"conditions\":{\"ready\":" + ready + ",\"serving\":" + serving
				+ ",\"terminating\":" + !ready + "},\"targetRef\":{\"kind\":\"Pod\",\"namespace\":\"" + NAMESPACE
				+ "\",\"name\":\"" + pod[0] + "\"}}";
	}

	@Override
	public void close() {
		this.closed.countDown();
		endWatches();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	/**
	 * The response body of an open watch, and what ends it.
	 */
	private record OpenWatch(OutputStream body, CountDownLatch end) {
	}

}
