package io.github.gracefulshutdown.e2e.load;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * Sends requests at a steady rate, whatever the answers, and records the outcome of each
 * one. Requests go out on one HTTP/1.1 client that keeps a pool of keep-alive connections
 * per origin (the load balancer, or each instance). Every request has a timeout, the
 * number of requests in flight is capped, and sending stops by itself at an absolute
 * limit.
 * <p>
 * The client should close idle connections before the servers do, or a request can be
 * sent on a connection the server is closing at that moment: the build sets the JDK's
 * {@code jdk.httpclient.keepalive.timeout} to 5 s, below HAProxy's 10 s and Tomcat's
 * keep-alive timeout.
 */
public final class LoadGenerator implements SteadyLoad {

	private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

	private static final int CLIENT_THREADS = 4;

	private static final int MAX_IN_FLIGHT = 1000;

	private static final int DETAIL_LENGTH = 80;

	private final RequestTarget target;

	private final int requestsPerSecond;

	private final String path;

	private final Duration requestTimeout;

	private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);

	private final Queue<RequestRecord> records = new ConcurrentLinkedQueue<>();

	private final ExecutorService clientExecutor = Executors.newFixedThreadPool(CLIENT_THREADS,
			daemonThreads("load-client"));

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor(daemonThreads("load-scheduler"));

	private final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(CONNECT_TIMEOUT)
		.executor(this.clientExecutor)
		.build();

	private volatile boolean sending;

	/**
	 * Creates a load generator that asks for the given work in each request.
	 * @param target where requests go
	 * @param requestsPerSecond how many requests to send each second
	 * @param work how long each request works on the server
	 * @param requestTimeout how long to wait for each response
	 */
	public LoadGenerator(RequestTarget target, int requestsPerSecond, Duration work, Duration requestTimeout) {
		this.target = target;
		this.requestsPerSecond = requestsPerSecond;
		this.path = "/work?millis=" + work.toMillis();
		this.requestTimeout = requestTimeout;
	}

	@Override
	public void start(Duration longest) {
		this.sending = true;
		this.scheduler.scheduleAtFixedRate(this::send, 0, TimeUnit.SECONDS.toNanos(1) / this.requestsPerSecond,
				TimeUnit.NANOSECONDS);
		this.scheduler.schedule(() -> this.sending = false, longest.toNanos(), TimeUnit.NANOSECONDS);
	}

	@Override
	public List<RequestRecord> stop(Duration timeout) throws InterruptedException {
		this.sending = false;
		this.scheduler.shutdownNow();
		this.scheduler.awaitTermination(timeout.toNanos(), TimeUnit.NANOSECONDS);
		if (this.inFlight.tryAcquire(MAX_IN_FLIGHT, timeout.toNanos(), TimeUnit.NANOSECONDS)) {
			this.inFlight.release(MAX_IN_FLIGHT);
		}
		List<RequestRecord> sent = new ArrayList<>(this.records);
		sent.sort(Comparator.comparingLong(RequestRecord::startNanos));
		return sent;
	}

	@Override
	public void close() {
		this.sending = false;
		this.scheduler.shutdownNow();
		this.clientExecutor.shutdownNow();
	}

	private void send() {
		if (!this.sending) {
			return;
		}
		long start = System.nanoTime();
		Route route = this.target.next();
		if (route == null) {
			this.records.add(new RequestRecord(start, start, Outcome.NOT_SENT, 0, null, "no endpoint"));
			return;
		}
		if (!this.inFlight.tryAcquire()) {
			this.records.add(new RequestRecord(start, start, Outcome.NOT_SENT, 0, route.instance(),
					MAX_IN_FLIGHT + " requests in flight"));
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
		try {
			if (response != null) {
				int status = response.statusCode();
				String instance = response.headers().firstValue("X-Instance").orElse(route.instance());
				Outcome outcome = Outcome.ofStatus(status);
				String detail = (outcome != Outcome.SUCCESS) ? describe(status, response.body()) : null;
				this.records.add(new RequestRecord(start, end, outcome, status, instance, detail));
			}
			else {
				Throwable cause = (failure != null) ? failure : new IllegalStateException("No response");
				this.records
					.add(new RequestRecord(start, end, Outcome.ofFailure(cause), 0, route.instance(), describe(cause)));
			}
		}
		finally {
			this.inFlight.release();
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
