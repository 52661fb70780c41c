package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shows that the setup the final-figures alerts of {@code docs/prometheus} require
 * delivers those figures: with Spring Boot's Pushgateway exporter pushing at shutdown,
 * the push comes after the drain has completed and carries its final figures (here a
 * request cut off at the in-flight deadline), which no scrape of the draining application
 * could see. A small HTTP server on 127.0.0.1 stands in for the Pushgateway and records
 * what it receives.
 */
class PushgatewayFinalPushTests {

	private static final String INSTANCE = "sample-1";

	private final List<Push> pushes = new CopyOnWriteArrayList<>();

	private final HttpServer pushgateway = startPushgateway();

	@AfterEach
	void stopPushgateway() {
		this.pushgateway.stop(0);
	}

	@Test
	void whenTheDrainCutsOffARequestThenThePushAtShutdownCarriesTheFinalFigures() {
		ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--spring.main.cloud-platform=none", "--server.port=0", "--server.address=127.0.0.1",
				"--graceful-shutdown.drain-on-any-close=true", "--spring.lifecycle.timeout-per-shutdown-phase=1s",
				"--management.prometheus.metrics.export.pushgateway.enabled=true",
				"--management.prometheus.metrics.export.pushgateway.address=127.0.0.1:"
						+ this.pushgateway.getAddress().getPort(),
				"--management.prometheus.metrics.export.pushgateway.format=text",
				"--management.prometheus.metrics.export.pushgateway.shutdown-operation=put",
				"--management.prometheus.metrics.export.pushgateway.grouping-key.instance=" + INSTANCE);
		MeterRegistry registry = context.getBean(MeterRegistry.class);
		String port = context.getEnvironment().getRequiredProperty("local.server.port");
		HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/work?millis=20000")).build(),
					HttpResponse.BodyHandlers.discarding());
		await().until(() -> registry.get("graceful.shutdown.requests.active").gauge().value() == 1);

		context.close();

		Push last = this.pushes.get(this.pushes.size() - 1);
		assertThat(last.method()).as("the push at shutdown").isEqualTo("PUT");
		assertThat(last.path()).endsWith("/metrics/job/graceful-shutdown-sample/instance/" + INSTANCE);
		assertThat(last.body()).containsPattern("(?m)^graceful_shutdown_requests_cut_off_total(\\{[^}]*})? 1(\\.0)?$")
			.containsPattern("(?m)^graceful_shutdown_state\\{[^}]*state=\"drained\"[^}]*} 1(\\.0)?$");
	}

	private HttpServer startPushgateway() {
		try {
			HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
			server.createContext("/", this::record);
			server.start();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private void record(HttpExchange exchange) throws IOException {
		try (exchange) {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			this.pushes.add(new Push(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), body));
			exchange.sendResponseHeaders(200, -1);
		}
	}

	/**
	 * One request the Pushgateway received.
	 *
	 * @param method its method: {@code POST} adds to a group, {@code PUT} replaces it
	 * @param path the group, as {@code /metrics/job/<job>/<label>/<value>}
	 * @param body the metrics, in Prometheus' text format
	 */
	private record Push(String method, String path, String body) {

	}

}
