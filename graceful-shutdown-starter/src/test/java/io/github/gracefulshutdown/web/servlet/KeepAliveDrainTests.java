package io.github.gracefulshutdown.web.servlet;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.test.HttpTestClient;
import io.github.gracefulshutdown.test.HttpTestClient.KeepAliveOutcome;
import io.github.gracefulshutdown.test.PooledTraffic;
import io.github.gracefulshutdown.test.PooledTraffic.Exchange;
import io.github.gracefulshutdown.test.ReleasableWindow;
import io.github.gracefulshutdown.test.RunningServers;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A pooled keep-alive client sending through the drain, on real servers.
 */
class KeepAliveDrainTests {

	private final RunningServers servers = new RunningServers();

	@AfterEach
	void closeServers() {
		this.servers.close();
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void aPooledClientSeesNoFailureAndItsConnectionsAreReplacedDuringTheWindow(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window);
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		List<Exchange> exchanges;
		int firstDuringDrain;
		CompletableFuture<Void> close;
		try (PooledTraffic traffic = new PooledTraffic(RunningServers.port(context, "local.server.port"), "/hello", 3,
				Duration.ofMillis(5))
			.start()) {
			await().until(() -> traffic.exchanges().size() >= 30);
			close = TestThreads.runInBackground(context::close);
			await().until(coordinator::isDraining);
			firstDuringDrain = traffic.nextSequence();
			await().until(() -> traffic.nextSequence() >= firstDuringDrain + 60);
			traffic.close();
			exchanges = traffic.exchanges();
		}
		window.release();
		close.get(30, TimeUnit.SECONDS);

		assertThat(exchanges)
			.allSatisfy((exchange) -> assertThat(exchange.succeeded()).as(exchange.toString()).isTrue());
		List<Exchange> before = exchanges.stream()
			.filter((exchange) -> exchange.sequence() < firstDuringDrain)
			.toList();
		List<Exchange> during = exchanges.stream()
			.filter((exchange) -> exchange.sequence() >= firstDuringDrain)
			.toList();
		assertThat(during).allSatisfy((exchange) -> assertThat(exchange.connectionClose()).isTrue());
		Set<Integer> connectionsBefore = before.stream().map(Exchange::localPort).collect(Collectors.toSet());
		Set<Integer> connectionsDuring = during.stream().map(Exchange::localPort).collect(Collectors.toSet());
		for (int connection : connectionsBefore) {
			assertThat(during).filteredOn((exchange) -> exchange.localPort() == connection)
				.as("exchanges during the drain on connection %d, opened before it", connection)
				.hasSizeLessThanOrEqualTo(1);
		}
		assertThat(connectionsDuring).as("connections opened during the drain").hasSizeGreaterThan(10);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void duringTheDrainTheServerClosesTheConnectionAfterTheResponse(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window);
		int port = RunningServers.port(context, "local.server.port");
		assertThat(HttpTestClient.getKeepingAlive(port, "/hello")).isEqualTo(new KeepAliveOutcome(200, false, false));

		CompletableFuture<Void> close = TestThreads.runInBackground(context::close);
		await().until(context.getBean(DrainCoordinator.class)::isDraining);

		assertThat(HttpTestClient.getKeepingAlive(port, "/hello")).isEqualTo(new KeepAliveOutcome(200, true, true));
		window.release();
		close.get(30, TimeUnit.SECONDS);
	}

	@ParameterizedTest
	@EnumSource(TestServer.class)
	void whenClosingConnectionsIsSwitchedOffThenConnectionsAreKept(TestServer server) throws Exception {
		ReleasableWindow window = new ReleasableWindow();
		ConfigurableApplicationContext context = this.servers.start(server, window,
				"graceful-shutdown.close-connections=false");
		DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
		List<Exchange> exchanges;
		CompletableFuture<Void> close;
		try (PooledTraffic traffic = new PooledTraffic(RunningServers.port(context, "local.server.port"), "/hello", 2,
				Duration.ofMillis(5))
			.start()) {
			close = TestThreads.runInBackground(context::close);
			await().until(coordinator::isDraining);
			int firstDuringDrain = traffic.nextSequence();
			await().until(() -> traffic.nextSequence() >= firstDuringDrain + 30);
			traffic.close();
			exchanges = traffic.exchanges();
			assertThat(HttpTestClient.getKeepingAlive(RunningServers.port(context, "local.server.port"), "/hello"))
				.isEqualTo(new KeepAliveOutcome(200, false, false));
		}
		window.release();
		close.get(30, TimeUnit.SECONDS);

		assertThat(exchanges).allSatisfy((exchange) -> {
			assertThat(exchange.succeeded()).isTrue();
			assertThat(exchange.connectionClose()).isFalse();
		});
		assertThat(exchanges.stream().map(Exchange::localPort).distinct()).hasSizeLessThanOrEqualTo(2);
	}

}
