package io.github.gracefulshutdown.web.server;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletResponse;
import org.apache.catalina.LifecycleState;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ValveBase;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.component.Graceful;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.jetty.ConfigurableJettyWebServerFactory;
import org.springframework.boot.tomcat.ConfigurableTomcatWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The stop of a real web server does not cut off a response the server is still writing
 * after the request is over for the application and the drain: on Tomcat thanks to
 * {@link TomcatResponseFinishWait}, on Jetty because Spring Boot's graceful shutdown
 * counts a request until its response is complete.
 */
class ResponseFinishServerTests {

	private final RunningServers servers = new RunningServers();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@Test
	void aResponseTomcatIsStillWritingWhenTheDrainEndsReachesItsClient() throws Exception {
		aResponseStillBeingWrittenWhenTheDrainEndsReachesItsClient(TestServer.TOMCAT,
				TomcatSlowFinishConfiguration.class);
	}

	@Test
	void aResponseJettyIsStillWritingWhenTheDrainEndsReachesItsClient() throws Exception {
		aResponseStillBeingWrittenWhenTheDrainEndsReachesItsClient(TestServer.JETTY,
				JettySlowFinishConfiguration.class);
	}

	private void aResponseStillBeingWrittenWhenTheDrainEndsReachesItsClient(TestServer server,
			Class<?> slowFinishConfiguration) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(
				new Class<?>[] { UnflushedController.class, slowFinishConfiguration }, server, window,
				"graceful-shutdown.safety-margin=8s");
		int port = RunningServers.port(context, "local.server.port");
		UnflushedController controller = context.getBean(UnflushedController.class);
		CompletableFuture<HttpResponse<String>> response = HttpClient.newHttpClient()
			.sendAsync(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/unflushed")).build(),
					HttpResponse.BodyHandlers.ofString());
		await().until(() -> controller.entered() == 1);
		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(context.getBean(DrainCoordinator.class)::isDraining);

		window.release();
		controller.release();

		assertThat(response.get(30, TimeUnit.SECONDS).body()).isEqualTo("unflushed");
		close.get(30, TimeUnit.SECONDS);
	}

	/**
	 * Makes Tomcat late with what it writes after the request is over for the
	 * application.
	 */
	@Configuration(proxyBeanMethods = false)
	static class TomcatSlowFinishConfiguration {

		@Bean
		WebServerFactoryCustomizer<ConfigurableTomcatWebServerFactory> slowFinish() {
			return (factory) -> factory
				.addContextCustomizers((tomcatContext) -> tomcatContext.getPipeline().addValve(new SlowFinishValve()));
		}

	}

	@RestController
	static class UnflushedController {

		private final CountDownLatch release = new CountDownLatch(1);

		private final AtomicInteger entered = new AtomicInteger();

		/**
		 * Once the test releases it, writes a body small enough to stay in the server's
		 * buffer until the server finishes the response.
		 * @param response the response
		 * @throws IOException if the write fails
		 * @throws InterruptedException if interrupted while waiting for the release
		 */
		@GetMapping("/unflushed")
		void unflushed(HttpServletResponse response) throws IOException, InterruptedException {
			this.entered.incrementAndGet();
			this.release.await(30, TimeUnit.SECONDS);
			response.getWriter().write("unflushed");
		}

		int entered() {
			return this.entered.get();
		}

		void release() {
			this.release.countDown();
		}

	}

	/**
	 * Makes Jetty late with what it writes after the request is over for the application.
	 */
	@Configuration(proxyBeanMethods = false)
	static class JettySlowFinishConfiguration {

		@Bean
		WebServerFactoryCustomizer<ConfigurableJettyWebServerFactory> slowFinish() {
			return (factory) -> factory.addServerCustomizers((server) -> {
				SlowLastWriteHandler slowLastWrite = new SlowLastWriteHandler();
				slowLastWrite.setHandler(server.getHandler());
				server.setHandler(slowLastWrite);
			});
		}

	}

	/**
	 * Holds Jetty's thread before it writes the end of a response until Spring Boot's
	 * graceful shutdown has begun (the connectors are shut down), then for 300 ms more,
	 * as a thread descheduled there would be.
	 */
	static class SlowLastWriteHandler extends Handler.Wrapper {

		@Override
		public boolean handle(org.eclipse.jetty.server.Request request, org.eclipse.jetty.server.Response response,
				Callback callback) throws Exception {
			return super.handle(request, new org.eclipse.jetty.server.Response.Wrapper(request, response) {

				@Override
				public void write(boolean last, ByteBuffer content, Callback writeCallback) {
					if (last && "/unflushed".equals(request.getHttpURI().getPath())) {
						holdUntil(() -> Arrays.stream(getServer().getConnectors()).anyMatch(Graceful::isShutdown));
					}
					super.write(last, content, writeCallback);
				}

			}, callback);
		}

	}

	/**
	 * Holds Tomcat's worker thread after the application is done with the request until
	 * the connector has begun to stop, then for 300 ms more, as a thread descheduled
	 * before it writes the response would be: the connector's stop, left alone, closes
	 * the connection meanwhile.
	 */
	static class SlowFinishValve extends ValveBase {

		SlowFinishValve() {
			super(true);
		}

		@Override
		public void invoke(Request request, Response response) throws IOException, ServletException {
			getNext().invoke(request, response);
			if ("/unflushed".equals(request.getRequestURI())) {
				Connector connector = request.getConnector();
				holdUntil(() -> connector.getState() != LifecycleState.STARTED);
			}
		}

	}

	/**
	 * Holds a server thread until the server has begun to stop, then for 300 ms more.
	 * @param stopBegun whether the stop has begun
	 */
	private static void holdUntil(BooleanSupplier stopBegun) {
		await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(1)).until(stopBegun::getAsBoolean);
		try {
			Thread.sleep(300);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
