package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The series names Prometheus would store from one scrape of the sample's
 * {@code /actuator/prometheus}: what a dashboard or an alert rule can read. The sample is
 * started once, in this JVM, scraped and closed; later calls reuse that scrape. It runs
 * as on Kubernetes with the endpoint-aware window on, whose meter exists only then,
 * pointed at an API server it never calls: the watch starts with a drain, and this close
 * of the context starts none.
 *
 * @param all every series name of the scrape, the JVM's and Spring's included
 * @param starter the names of the starter's series, derived from its registered meters
 */
record ScrapedSeries(Set<String> all, Set<String> starter) {

	private static final Pattern SAMPLE_LINE = Pattern.compile("(?m)^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]");

	private static ScrapedSeries scraped;

	/**
	 * Returns the series of the sample, scraping it the first time.
	 * @return the series
	 */
	static synchronized ScrapedSeries ofTheSample() {
		if (scraped == null) {
			scraped = scrape();
		}
		return scraped;
	}

	private static ScrapedSeries scrape() {
		try (ConfigurableApplicationContext context = SpringApplication.run(SampleApplication.class,
				"--spring.main.cloud-platform=kubernetes", "--graceful-shutdown.window.endpoint-watch.enabled=true",
				"--graceful-shutdown.window.endpoint-watch.api-server=http://127.0.0.1:1",
				"--graceful-shutdown.window.endpoint-watch.pod-name=sample", "--server.port=0",
				"--server.address=127.0.0.1")) {
			String port = context.getEnvironment().getRequiredProperty("local.server.port");
			HttpResponse<String> response = HttpClient.newHttpClient()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/prometheus"))
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).as("scrape of /actuator/prometheus").isEqualTo(200);
			Set<String> all = new TreeSet<>();
			Matcher matcher = SAMPLE_LINE.matcher(response.body());
			while (matcher.find()) {
				all.add(matcher.group(1));
			}
			Set<String> starter = PrometheusSeries.ofStarterMeters(context.getBean(MeterRegistry.class));
			assertThat(all).as("series of the scrape").containsAll(starter);
			return new ScrapedSeries(all, starter);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
