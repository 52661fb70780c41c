package io.github.gracefulshutdown.e2e.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Sends requests at a steady rate, whatever the answers, and records the outcome of each
 * one. Requests go out on one HTTP/1.1 client that keeps a pool of keep-alive connections
 * per origin (the load balancer, or each instance). Every request has a timeout; the
 * pace, the cap on requests in flight and the records are {@link PacedRequests}'.
 * <p>
 * The client should close idle connections before the servers do, or a request can be
 * sent on a connection the server is closing at that moment: the build sets the JDK's
 * {@code jdk.httpclient.keepalive.timeout} to 5 s, below HAProxy's 10 s and Tomcat's
 * keep-alive timeout.
 */
public final class LoadGenerator implements SteadyLoad {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	private static final int CLIENT_THREADS = 4;

	private static final int DETAIL_LENGTH = 80;

	private final RequestTarget target;

	private final PacedRequests requests;

	private final String path;

	private final Duration requestTimeout;

	private final ExecutorService clientExecutor = Executors.newFixedThreadPool(CLIENT_THREADS,
			daemonThreads("load-client"));

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(CONNECT_TIMEOUT)
		.executor(this.clientExecutor)
		.build();

	/**
	 * Creates a load generator that asks for the given work in each request.
	 * @param target where requests go
	 * @param requestsPerSecond how many requests to send each second
	 * @param work how long each request works on the server
	 * @param requestTimeout how long to wait for each response
	 */
	public LoadGenerator(RequestTarget target, int requestsPerSecond, Duration work, Duration requestTimeout) {
		this.target = target;
		this.requests = new PacedRequests("load-scheduler", requestsPerSecond, "requests");
		this.path = "/work?millis=" + work.toMillis();
		this.requestTimeout = requestTimeout;
	}

	@Override
	public void start(Duration longest) {
		this.requests.start(longest, this::send);
	}

	@Override
	public List<RequestRecord> stop(Duration timeout) throws InterruptedException {
		return this.requests.stop(timeout);
	}

	@Override
	public void close() {
		this.requests.close();
		this.clientExecutor.shutdownNow();
	}

	private void send(long start) {
		Route route = this.target.next();
		if (route == null) {
			this.requests.notSent(start, null, "no endpoint");
			return;
		}
		if (!this.requests.tryBegin(start, route.instance())) {
			return;
		}
		try {
			HttpRequest request = HttpRequest.newBuilder(URI.create(route.baseUri() + this.path))
				.timeout(this.requestTimeout)
				.GET()
				.build();
			this.client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
				.whenComplete((response, failure) -> record(start, route, response, failure));
		}
		catch (RuntimeException ex) {
			record(start, route, null, ex);
		}
	}

	private void record(long start, Route route, @Nullable HttpResponse<String> response, @Nullable Throwable failure) {
		long end = System.nanoTime();
		if (response != null) {
			int status = response.statusCode();
			String instance = response.headers().firstValue("X-Instance").orElse(route.instance());
			Outcome outcome = Outcome.ofStatus(status);
			String detail = (outcome != Outcome.SUCCESS) ? describe(status, response.body()) : null;
			this.requests.ended(new RequestRecord(start, end, outcome, status, instance, detail));
		}
		else {
			Throwable cause = (failure != null) ? failure : new IllegalStateException("No response");
			this.requests
				.ended(new RequestRecord(start, end, Outcome.ofFailure(cause), 0, route.instance(), describe(cause)));
		}
	}

	private static String describe(int status, String body) {
		String text = body.replaceAll("<[^>]*>", " ").replaceAll("\\s+", " ").strip();
		if (text.isEmpty()) {
			return "HTTP " + status;
		}
		return "HTTP " + status + ": " + text.substring(0, Math.min(text.length(), DETAIL_LENGTH));
	}

	private static String describe(Throwable failure) {
		Throwable cause = failure;
		while (cause instanceof CompletionException && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause.toString();
	}

	private static ThreadFactory daemonThreads(String prefix) {
		AtomicInteger count = new AtomicInteger();
		return (runnable) -> {
			Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		};
	}

}
