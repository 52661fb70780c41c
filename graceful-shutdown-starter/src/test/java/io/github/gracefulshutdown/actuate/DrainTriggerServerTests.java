package io.github.gracefulshutdown.actuate;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.stream.Stream;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The drain triggers ({@code GET /actuator/prestop},
 * {@code POST /actuator/gracefulshutdown}) under hardening settings and requests that a
 * browser or a crawler could send, through real servers.
 */
class DrainTriggerServerTests {

	private static final String TRIGGER_HEADER = "Graceful-Shutdown-Trigger";

	private static final String PRE_STOP = "/actuator/prestop";

	private static final String DRAIN = "/actuator/gracefulshutdown";

	private static final String READINESS = "/actuator/health/readiness";

	private static final String PRE_STOP_ON = "management.endpoint.prestop.access=read-only";

	private static final String DRAIN_POST_ON = "management.endpoint.gracefulshutdown.access=unrestricted";

	private final RunningServers servers = new RunningServers();

	private final HttpClient client = HttpClient.newHttpClient();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenEndpointsAreReadOnlyByDefaultThenAPlainGetOfPreStopFindsNothingAndReadinessStaysUp(TestServer server)
			throws Exception {
		ConfigurableApplicationContext context = start(server, "management.endpoints.access.default=read-only");
		int port = RunningServers.port(context, "local.server.port");

		assertThat(send(port, "GET", PRE_STOP, false).statusCode()).isEqualTo(404);

		assertServing(context, port);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenEndpointsAreUnrestrictedByDefaultThenNeitherTriggerIsThere(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "management.endpoints.access.default=unrestricted");
		int port = RunningServers.port(context, "local.server.port");

		assertThat(send(port, "GET", PRE_STOP, true).statusCode()).isEqualTo(404);
		assertThat(send(port, "POST", DRAIN, true).statusCode()).isEqualTo(405);

		assertServing(context, port);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenAccessIsCappedAtReadOnlyThenEvenAnEnabledPreStopGetIsNotThere(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, "management.endpoints.access.max-permitted=read-only",
				PRE_STOP_ON, DRAIN_POST_ON);
		int port = RunningServers.port(context, "local.server.port");

		assertThat(send(port, "GET", PRE_STOP, true).statusCode()).isEqualTo(404);
		assertThat(send(port, "POST", DRAIN, true).statusCode()).isEqualTo(405);

		assertServing(context, port);
	}

	private ConfigurableApplicationContext start(TestServer server, String... properties) {
		String[] settings = Stream
			.concat(Stream.of("spring.main.cloud-platform=none", "management.endpoints.web.exposure.include=*"),
					Arrays.stream(properties))
			.toArray(String[]::new);
		return this.servers.start(server, null, settings);
	}

	private void assertServing(ConfigurableApplicationContext context, int port) throws Exception {
		assertThat(send(port, "GET", READINESS, false).statusCode()).isEqualTo(200);
		assertThat(context.getBean(DrainCoordinator.class).state()).isEqualTo(DrainState.SERVING);
	}

	private HttpResponse<String> send(int port, String method, String path, boolean withTriggerHeader)
			throws Exception {
		HttpRequest.Builder request = request(port, path).method(method, HttpRequest.BodyPublishers.noBody());
		if (withTriggerHeader) {
			request.header(TRIGGER_HEADER, "drain");
		}
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static HttpRequest.Builder request(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(30));
	}

}
