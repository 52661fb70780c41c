package io.github.gracefulshutdown.web.servlet;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.RequestActivity;
import io.github.gracefulshutdown.test.DrainTestApplication;
import io.github.gracefulshutdown.test.DrainTestApplication.TestController;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Streaming responses through the drain, on real servers with a real client.
 */
class StreamingResponseDrainTests {

	private static final Duration IN_FLIGHT_TIMEOUT = Duration.ofSeconds(30);

	private final RunningServers servers = new RunningServers();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@ParameterizedTest
	@CsvSource({ "TOMCAT, /events", "JETTY, /events", "TOMCAT, /events-emitter", "TOMCAT, /events-flux",
			"TOMCAT, /events-produced" })
	void anEventStreamKeepsFlowingThroughTheWindowThenEndsCleanlyWithoutHoldingTheGracefulPhase(TestServer server,
			String path) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(server, window);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		StreamingResponses streams = context.getBean(StreamingResponses.class);
		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> stream = read(
				eventStreamRequest(RunningServers.port(context, "local.server.port"), path), lines);
		await().until(() -> lines.size() >= 2);
		assertThat(streams.getOpen()).isOne();

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(coordinator::isDraining);
		int duringWindow = lines.size();
		await().until(() -> lines.size() >= duringWindow + 3);
		assertThat(stream).isNotDone();
		long released = System.nanoTime();
		window.release();

		stream.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		close.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(Duration.ofNanos(System.nanoTime() - released)).as("close after the window")
			.isLessThan(IN_FLIGHT_TIMEOUT.dividedBy(2));
		// Counted once complete() has returned on the thread that ends the streams, which
		// may be after the client has seen the end
		await().until(() -> streams.getCompletedByDrain() == 1);
		assertThat(streams.getOpen()).isZero();
	}

	@ParameterizedTest
	@CsvSource({ "TOMCAT, /lines", "JETTY, /lines", "TOMCAT, /lines-emitter" })
	void aDownloadKeepsFlowingAfterTheWindowUntilItIsComplete(TestServer server, String path) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(server, window);

		assertFlowsAfterTheWindowUntilComplete(context, window, HttpRequest.newBuilder(uri(context, path)).build(),
				"end");
	}

	/**
	 * An answer streamed to a {@code POST} (generated token by token, say) is finite, and
	 * its client does not resume it: ended early, it would look complete.
	 */
	@ParameterizedTest
	@EnumSource(TestServer.class)
	void anEventStreamAnsweringAPostKeepsFlowingAfterTheWindowUntilItIsComplete(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = start(server, window);

		assertFlowsAfterTheWindowUntilComplete(context, window,
				HttpRequest.newBuilder(uri(context, "/answer"))
					.header("Accept", "text/event-stream")
					.POST(HttpRequest.BodyPublishers.ofString("question"))
					.build(),
				"data:end");
	}

	/**
	 * Reads a finite streaming response through the drain: it keeps flowing after the
	 * window, holds the close, and ends with its last line once the test controller is
	 * released, never ended by the drain.
	 */
	private static void assertFlowsAfterTheWindowUntilComplete(ConfigurableApplicationContext context,
			ReleasableWindow window, HttpRequest request, String lastLine) throws Exception {
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		StreamingResponses streams = context.getBean(StreamingResponses.class);
		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> response = read(request, lines);
		await().until(() -> lines.size() >= 2);
		assertThat(streams.getOpen()).isZero();

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(coordinator::isDraining);
		window.release();
		await().until(() -> coordinator.drain().map(Drain::currentPhase).orElse(null) == DrainPhase.IN_FLIGHT_DRAIN);
		int afterWindow = lines.size();
		await().until(() -> lines.size() >= afterWindow + 3);
		assertThat(response).isNotDone();
		assertThat(close).isNotDone();
		context.getBean(DrainTestApplication.TestController.class).release();

		response.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		close.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		assertThat(lines).last().isEqualTo(lastLine);
		assertThat(streams.getCompletedByDrain()).isZero();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aDownloadStillWritingAtTheInFlightDeadlineIsCutOffWithAnErrorNotAShortBodyThatLooksComplete(TestServer server)
			throws Exception {
		ConfigurableApplicationContext context = this.servers.start(server, null,
				"spring.lifecycle.timeout-per-shutdown-phase=1s");
		RequestActivity activity = context.getBean(RequestActivity.class);
		List<String> lines = new CopyOnWriteArrayList<>();
		CompletableFuture<Void> download = read(RunningServers.port(context, "local.server.port"), "/lines", lines);
		await().until(() -> lines.size() >= 2);

		context.close();

		assertThatExceptionOfType(ExecutionException.class)
			.isThrownBy(() -> download.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS));
		assertThat(activity.cutOff()).isOne();
	}

	/**
	 * Jetty ends a stream on the thread that completes it, behind a write to a client
	 * that has stopped reading: the streams of the clients still reading must end anyway.
	 */
	@Test
	void onJettyClientsThatStopReadingDoNotKeepTheOtherEventStreamsFromEndingCleanly() throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(TestServer.JETTY, window,
				"spring.lifecycle.timeout-per-shutdown-phase=5s", "graceful-shutdown.termination-grace-period=90s");
		int port = RunningServers.port(context, "local.server.port");
		TestController controller = context.getBean(TestController.class);
		StreamingResponses streams = context.getBean(StreamingResponses.class);
		List<Socket> stalled = new ArrayList<>();
		try {
			for (int i = 0; i < 3; i++) {
				stalled.add(requestWithoutReading(port, "/events-flood"));
			}
			await().until(() -> streams.getOpen() == 3);
			controller.startFloods();
			await().atMost(Duration.ofSeconds(20)).until(() -> controller.stalledFloods(Duration.ofMillis(300)) == 3);
			List<CompletableFuture<Void>> reading = new ArrayList<>();
			for (int i = 0; i < 3; i++) {
				List<String> lines = new CopyOnWriteArrayList<>();
				reading.add(read(eventStreamRequest(port, "/events"), lines));
				await().until(() -> lines.size() >= 1);
			}
			assertThat(streams.getOpen()).isEqualTo(6);

			CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
			await().until(context.getBean(DrainCoordinator.class)::isDraining);
			window.release();

			for (CompletableFuture<Void> stream : reading) {
				stream.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			}
			close.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
		}
		finally {
			for (Socket socket : stalled) {
				socket.close();
			}
		}
	}

	/**
	 * A stream being written when the drain ends it, to a client that reads slowly, ends
	 * cleanly once the event is written whole. Ended during the write, Jetty aborts it.
	 */
	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aStreamBeingWrittenWhenTheDrainEndsItEndsCleanlyOnceTheEventIsWritten(TestServer server) throws Exception {
		ConfigurableApplicationContext context = this.servers.start(new Class<?>[] { PatientWriteWait.class }, server,
				null);
		TestController controller = context.getBean(TestController.class);
		StreamingResponses streams = context.getBean(StreamingResponses.class);
		CompletableFuture<HttpResponse<InputStream>> response = HttpClient.newHttpClient()
			.sendAsync(eventStreamRequest(RunningServers.port(context, "local.server.port"), "/events-flood"),
					HttpResponse.BodyHandlers.ofInputStream());
		await().until(() -> streams.getOpen() == 1);
		controller.startFloods();
		await().atMost(Duration.ofSeconds(20)).until(() -> controller.stalledFloods(Duration.ofMillis(300)) == 1);

		Thread ending = new Thread(streams::completeAll, "test-ending-streams");
		ending.setDaemon(true);
		ending.start();
		await().until(() -> ending.getState() != Thread.State.NEW && ending.getState() != Thread.State.RUNNABLE);
		ByteArrayOutputStream events = new ByteArrayOutputStream();
		try (InputStream body = response.get(IN_FLIGHT_TIMEOUT.toSeconds(), TimeUnit.SECONDS).body()) {
			body.transferTo(events);
		}
		ending.join(IN_FLIGHT_TIMEOUT.toMillis());
		assertThat(events.toString(StandardCharsets.UTF_8)).as("ends with a whole event").endsWith("\n\n");
		assertThat(streams.getCompletedByDrain()).isOne();
	}

	private static Socket requestWithoutReading(int port, String path) throws IOException {
		Socket socket = new Socket();
		socket.setReceiveBufferSize(4096);
		socket.connect(new InetSocketAddress("127.0.0.1", port));
		socket.getOutputStream()
			.write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		return socket;
	}

	private ConfigurableApplicationContext start(TestServer server, ReleasableWindow window) {
		return this.servers.start(server, window,
				"spring.lifecycle.timeout-per-shutdown-phase=" + IN_FLIGHT_TIMEOUT.toSeconds() + "s",
				"graceful-shutdown.termination-grace-period=90s");
	}

	/**
	 * Reads a streaming response line by line; the future completes normally only if the
	 * stream ends cleanly.
	 */
	private static CompletableFuture<Void> read(int port, String path, List<String> lines) {
		return read(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(), lines);
	}

	private static URI uri(ConfigurableApplicationContext context, String path) {
		return URI.create("http://127.0.0.1:" + RunningServers.port(context, "local.server.port") + path);
	}

	/**
	 * Returns a request for an event stream, as {@code EventSource} sends it.
	 */
	private static HttpRequest eventStreamRequest(int port, String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", "text/event-stream")
			.build();
	}

	private static CompletableFuture<Void> read(HttpRequest request, List<String> lines) {
		return HttpClient.newHttpClient()
			.sendAsync(request, HttpResponse.BodyHandlers.ofLines())
			.thenAcceptAsync((response) -> {
				assertThat(response.statusCode()).isEqualTo(200);
				try (Stream<String> body = response.body()) {
					body.filter((line) -> !line.isEmpty()).forEach(lines::add);
				}
			});
	}

	/**
	 * Waits a minute for a write in progress before it completes a stream still writing,
	 * so that a test can let the write finish first, however slow the machine.
	 */
	@Configuration(proxyBeanMethods = false)
	static class PatientWriteWait {

		@Bean
		static BeanPostProcessor patientStreamingResponses() {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessBeforeInitialization(Object bean, String beanName) {
					return (bean instanceof StreamingResponses) ? new StreamingResponses(Duration.ofMinutes(1)) : bean;
				}

			};
		}

	}

}
