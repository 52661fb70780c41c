package io.github.gracefulshutdown.test;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.util.Timeout;

/**
 * Steady traffic from a pooled keep-alive HTTP client (Apache HttpClient 5), the kind of
 * client that never opens a new connection unless the server closes the one it has.
 * Records every exchange with the local port of the connection it used. Bounded: each
 * worker stops after a fixed number of requests or when {@link #close()} is called.
 */
public final class PooledTraffic implements AutoCloseable {

	private static final int MAX_REQUESTS_PER_WORKER = 5_000;

	private final String uri;

	private final int workers;

	private final Duration pause;

	private final CloseableHttpClient client;

	private final ExecutorService executor;

	private final List<Exchange> exchanges = new CopyOnWriteArrayList<>();

	private final AtomicInteger sequence = new AtomicInteger();

	private volatile boolean stopped;

	/**
	 * Creates traffic towards {@code http://127.0.0.1:port/path}.
	 * @param port the server port
	 * @param path the path to request
	 * @param workers how many requests are on the way at once (and pooled connections)
	 * @param pause how long each worker waits between two requests
	 */
	public PooledTraffic(int port, String path, int workers, Duration pause) {
		this.uri = "http://127.0.0.1:" + port + path;
		this.workers = workers;
		this.pause = pause;
		PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
			.setMaxConnPerRoute(workers)
			.setMaxConnTotal(workers)
			.setDefaultConnectionConfig(ConnectionConfig.custom().setConnectTimeout(Timeout.ofSeconds(5)).build())
			.build();
		this.client = HttpClients.custom()
			.setConnectionManager(connections)
			.setDefaultRequestConfig(RequestConfig.custom().setResponseTimeout(Timeout.ofSeconds(10)).build())
			.disableAutomaticRetries()
			.build();
		this.executor = Executors.newFixedThreadPool(workers);
	}

	/**
	 * Starts sending.
	 * @return this traffic
	 */
	public PooledTraffic start() {
		for (int i = 0; i < this.workers; i++) {
			this.executor.execute(this::send);
		}
		return this;
	}

	/**
	 * Returns every exchange so far, in the order they started.
	 * @return the exchanges
	 */
	public List<Exchange> exchanges() {
		return this.exchanges.stream().sorted((a, b) -> Integer.compare(a.sequence(), b.sequence())).toList();
	}

	/**
	 * Returns the sequence number the next request will get.
	 * @return the next sequence number
	 */
	public int nextSequence() {
		return this.sequence.get();
	}

	@Override
	public void close() throws InterruptedException, IOException {
		this.stopped = true;
		this.executor.shutdown();
		this.executor.awaitTermination(30, TimeUnit.SECONDS);
		this.client.close();
	}

	private void send() {
		for (int i = 0; i < MAX_REQUESTS_PER_WORKER && !this.stopped; i++) {
			int number = this.sequence.getAndIncrement();
			long start = System.nanoTime();
			HttpClientContext context = HttpClientContext.create();
			try {
				Exchange exchange = this.client.execute(new HttpGet(this.uri), context, (response) -> {
					EntityUtils.consume(response.getEntity());
					Header connection = response.getFirstHeader("Connection");
					return new Exchange(number, start, System.nanoTime(), response.getCode(), localPort(context),
							connection != null && "close".equalsIgnoreCase(connection.getValue()), null);
				});
				this.exchanges.add(exchange);
			}
			catch (IOException ex) {
				this.exchanges
					.add(new Exchange(number, start, System.nanoTime(), 0, localPort(context), false, ex.toString()));
			}
			pause();
		}
	}

	private void pause() {
		if (!this.pause.isZero()) {
			try {
				TimeUnit.NANOSECONDS.sleep(this.pause.toNanos());
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.stopped = true;
			}
		}
	}

	private static int localPort(HttpClientContext context) {
		if (context.getEndpointDetails() != null
				&& context.getEndpointDetails().getLocalAddress() instanceof InetSocketAddress address) {
			return address.getPort();
		}
		return -1;
	}

	/**
	 * One request and its outcome.
	 *
	 * @param sequence the order in which the request started
	 * @param startNanos when the request started ({@link System#nanoTime()})
	 * @param endNanos when the outcome was known ({@link System#nanoTime()})
	 * @param status the response status, or 0 if the request failed
	 * @param localPort the local port of the connection that carried it, or -1
	 * @param connectionClose whether the response carried {@code Connection: close}
	 * @param failure what went wrong, or {@code null}
	 */
	public record Exchange(int sequence, long startNanos, long endNanos, int status, int localPort,
			boolean connectionClose, String failure) {

		/**
		 * Returns whether the request got a 2xx answer.
		 * @return {@code true} for a 2xx answer
		 */
		public boolean succeeded() {
			return this.status >= 200 && this.status < 300;
		}

	}

}
