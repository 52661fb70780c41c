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

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenAnEnabledPreStopGetLacksTheHeaderThenItIsRefusedAndReadinessStaysUp(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, PRE_STOP_ON, DRAIN_POST_ON);
		int port = RunningServers.port(context, "local.server.port");

		HttpResponse<String> response = send(port, "GET", PRE_STOP, false);

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Graceful-Shutdown-Trigger: drain");
		assertServing(context, port);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenAPreStopGetHasAnotherHeaderValueThenItIsRefused(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, PRE_STOP_ON, DRAIN_POST_ON);
		int port = RunningServers.port(context, "local.server.port");

		HttpResponse<String> response = this.client.send(
				request(port, PRE_STOP).header(TRIGGER_HEADER, "yes").GET().build(),
				HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
		assertServing(context, port);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenAnEnabledPreStopGetCarriesTheHeaderThenItDrains(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, PRE_STOP_ON, DRAIN_POST_ON);
		int port = RunningServers.port(context, "local.server.port");

		HttpResponse<String> response = send(port, "GET", PRE_STOP, true);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"trigger\":\"PRE_STOP_HOOK\"").contains("\"windowEnded\":true");
		assertThat(send(port, "GET", READINESS, false).statusCode()).isEqualTo(503);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenACrossSitePostWithoutTheHeaderReachesAnEnabledDrainThenItIsRefused(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, PRE_STOP_ON, DRAIN_POST_ON);
		int port = RunningServers.port(context, "local.server.port");

		HttpResponse<String> response = this.client.send(request(port, DRAIN).header("Origin", "https://example.org")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build(), HttpResponse.BodyHandlers.ofString());

		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("Graceful-Shutdown-Trigger: drain");
		assertServing(context, port);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenAnEnabledDrainPostCarriesTheHeaderThenItDrains(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, PRE_STOP_ON, DRAIN_POST_ON);
		int port = RunningServers.port(context, "local.server.port");

		HttpResponse<String> response = send(port, "POST", DRAIN, true);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"trigger\":\"ENDPOINT\"");
		assertThat(send(port, "GET", READINESS, false).statusCode()).isEqualTo(503);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void onASeparateManagementPortTheTriggersAlsoNeedTheHeader(TestServer server) throws Exception {
		ConfigurableApplicationContext context = start(server, PRE_STOP_ON, DRAIN_POST_ON, "management.server.port=0",
				"management.server.address=127.0.0.1");
		int managementPort = RunningServers.port(context, "local.management.port");

		assertThat(send(managementPort, "GET", PRE_STOP, false).statusCode()).isEqualTo(400);
		assertThat(send(managementPort, "POST", DRAIN, false).statusCode()).isEqualTo(400);
		assertThat(send(managementPort, "GET", READINESS, false).statusCode()).isEqualTo(200);
		assertThat(context.getBean(DrainCoordinator.class).state()).isEqualTo(DrainState.SERVING);

		HttpResponse<String> preStop = send(managementPort, "GET", PRE_STOP, true);

		assertThat(preStop.statusCode()).isEqualTo(200);
		assertThat(preStop.body()).contains("\"trigger\":\"PRE_STOP_HOOK\"");
		assertThat(send(managementPort, "GET", READINESS, false).statusCode()).isEqualTo(503);
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
