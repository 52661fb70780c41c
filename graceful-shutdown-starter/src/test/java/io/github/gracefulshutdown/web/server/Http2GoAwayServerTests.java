package io.github.gracefulshutdown.web.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.test.DrainTestApplication;
import io.github.gracefulshutdown.test.Http2TestClient;
import io.github.gracefulshutdown.test.Http2TestClient.Connection;
import io.github.gracefulshutdown.test.Http2TestClient.GoAway;
import io.github.gracefulshutdown.test.Http2TestClient.Response;
import io.github.gracefulshutdown.test.ReactiveTestApplication;
import io.github.gracefulshutdown.test.ReactiveTestServer;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import io.github.gracefulshutdown.test.WindowEndHold;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tells a real HTTP/2 client (h2c by prior knowledge, h2 over TLS) of a real Tomcat and
 * Jetty, under Spring MVC and WebFlux, to go away at the end of the propagation window,
 * the application closed the way SIGTERM closes it: from another thread. The drain is
 * held after the window's end, so the server still accepts connections.
 */
class Http2GoAwayServerTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	/**
	 * A self-signed certificate for localhost and 127.0.0.1, valid until 2126, made for
	 * these tests only, with its private key.
	 */
	private static final String CERTIFICATE = "classpath:tls/test-server.crt";

	private static final String PRIVATE_KEY = "classpath:tls/test-server.key";

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	private final List<Http2TestClient> clients = new ArrayList<>();

	@AfterEach
	void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
		this.clients.forEach(Http2TestClient::close);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void withSpringMvcHttp2ClientsGetAGracefulGoAwayWhenTheWindowEndsWhileTheirStreamInFlightCompletes(
			TestServer server) throws Exception {
		Running running = start(DrainTestApplication.class, server.selection());
		DrainTestApplication.TestController controller = running.context()
			.getBean(DrainTestApplication.TestController.class);
		goAwayAtTheWindowEnd(running, client(Http2TestClient.h2c()), controller::entered, controller::release,
				server == TestServer.JETTY);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void overTlsHttp2ClientsGetAGracefulGoAwayWhenTheWindowEndsWhileTheirStreamInFlightCompletes(TestServer server)
			throws Exception {
		Running running = start(DrainTestApplication.class, server.selection(), "server.ssl.certificate=" + CERTIFICATE,
				"server.ssl.certificate-private-key=" + PRIVATE_KEY);
		DrainTestApplication.TestController controller = running.context()
			.getBean(DrainTestApplication.TestController.class);
		goAwayAtTheWindowEnd(running, client(Http2TestClient.h2()), controller::entered, controller::release,
				server == TestServer.JETTY);
	}

	@ParameterizedTest
	@EnumSource(names = { "TOMCAT", "JETTY" })
	void withWebFluxHttp2ClientsGetAGracefulGoAwayWhenTheWindowEndsWhileTheirStreamInFlightCompletes(
			ReactiveTestServer server) throws Exception {
		Running running = start(ReactiveTestApplication.class, server.properties());
		assertThat(((WebServerApplicationContext) running.context()).getWebServer())
			.isInstanceOf(server.webServerType());
		ReactiveTestApplication.TestController controller = running.context()
			.getBean(ReactiveTestApplication.TestController.class);
		goAwayAtTheWindowEnd(running, client(Http2TestClient.h2c()), controller::entered, controller::release,
				server == ReactiveTestServer.JETTY);
	}

	/**
	 * Runs the drain with a stream in flight on an HTTP/2 connection.
	 * @param running the running application
	 * @param client the client
	 * @param entered how many requests entered the blocking endpoint
	 * @param release releases the blocking endpoint
	 * @param finalGoAwayWhenIdle whether the server sends the final GOAWAY, with the last
	 * stream it took, as soon as no stream is left (Jetty), rather than only when the
	 * client opens another stream (Tomcat)
	 * @throws Exception if the client fails
	 */
	private void goAwayAtTheWindowEnd(Running running, Http2TestClient client, IntSupplier entered, Runnable release,
			boolean finalGoAwayWhenIdle) throws Exception {
		ConfigurableApplicationContext context = running.context();
		Connection first = client.connect(port(context));
		assertThat(response(first.get("/hello")).status()).isEqualTo(200);
		CompletableFuture<Response> inFlight = first.get("/blocking");
		await().until(() -> entered.getAsInt() == 1);

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(() -> context.getBean(DrainCoordinator.class).isDraining());
		Response duringTheWindow = response(first.get("/hello"));
		assertThat(duringTheWindow.status()).isEqualTo(200);
		assertThat(first.goAways()).isEmpty();
		running.window().release();

		await().atMost(TIMEOUT).until(() -> !first.goAways().isEmpty());
		assertThat(first.goAways().get(0)).isEqualTo(new GoAway(Integer.MAX_VALUE, 0));
		Connection second = client.connect(port(context));
		assertThat(response(second.get("/hello")).status()).isEqualTo(200);
		assertThat(second.goAways()).isEmpty();
		assertThat(inFlight).isNotDone();
		release.run();
		Response released = response(inFlight);
		assertThat(released.status()).isEqualTo(200);
		assertThat(released.body()).isEqualTo("released");
		if (finalGoAwayWhenIdle) {
			await().atMost(TIMEOUT).until(() -> first.goAways().size() == 2);
			assertThat(first.goAways().get(1)).isEqualTo(new GoAway(duringTheWindow.streamId(), 0));
		}
		assertThat(first.goAways()).allSatisfy((goAway) -> assertThat(goAway.errorCode()).isZero());
		assertThat(close).isNotDone();
		running.hold().release();
		close.get(30, TimeUnit.SECONDS);
	}

	private Http2TestClient client(Http2TestClient client) {
		this.clients.add(client);
		return client;
	}

	private Running start(Class<?> application, String... properties) {
		ReleasableWindow window = new ReleasableWindow();
		WindowEndHold hold = new WindowEndHold();
		ConfigurableApplicationContext context = new SpringApplicationBuilder(application)
			.properties(TestDefaults.PROPERTIES)
			.properties("server.port=0", "server.address=127.0.0.1", "server.http2.enabled=true",
					"graceful-shutdown.termination-grace-period=120s", "graceful-shutdown.listener-timeout=30s")
			.properties(properties)
			.initializers((initialized) -> {
				initialized.getBeanFactory().registerSingleton("testWindow", window);
				initialized.getBeanFactory().registerSingleton("windowEndHold", hold);
			})
			.run();
		this.contexts.add(context);
		return new Running(context, window, hold);
	}

	private static Response response(CompletableFuture<Response> response) throws Exception {
		return response.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
	}

	private static int port(ConfigurableApplicationContext context) {
		return context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	record Running(ConfigurableApplicationContext context, ReleasableWindow window, WindowEndHold hold) {
	}

}
