package io.github.gracefulshutdown.websocket;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.test.ReactiveTestServer;
import io.github.gracefulshutdown.test.ReactiveWebSocketTestApplication;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.test.TestServer;
import io.github.gracefulshutdown.test.WebSocketTestApplication;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Drains many WebSocket sessions of a real server and reports how long it took, the CPU
 * time it used, how each close ended, and the memory the sessions held. Not part of the
 * build's tests (its name does not match Surefire's includes); run it with
 * {@code ./mvnw -B -pl graceful-shutdown-starter verify -Dtest=WebSocketDrainBenchmark -Dsurefire.failIfNoSpecifiedTests=false}
 * and optionally {@code -Dbenchmark.sessions=10000 -Dbenchmark.server=JETTY} (or
 * {@code NETTY}).
 */
class WebSocketDrainBenchmark {

	private static final Duration CONNECT_TIMEOUT = Duration.ofMinutes(5);

	@Test
	void drainManySessions() throws Exception {
		int sessions = Integer.getInteger("benchmark.sessions", 10_000);
		Server server = Server.valueOf(System.getProperty("benchmark.server", "TOMCAT"));
		ConfigurableApplicationContext context = server.application(sessions)
			.properties(TestDefaults.PROPERTIES)
			.properties("server.port=0", "server.address=127.0.0.1", "logging.level.io.github.gracefulshutdown=INFO")
			.run();
		WebSocketDrainStats stats = context.getBean(WebSocketDrainStats.class);
		int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		long heapBefore = usedHeapAfterGc();
		long rssBefore = rssKiB(ProcessHandle.current().pid());

		Process clients = startClients(port, sessions);
		BlockingQueue<String> output = readLines(clients);
		long connectStart = System.nanoTime();
		String connected = awaitLine(output, "connected", CONNECT_TIMEOUT);
		long connectMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - connectStart);
		await().atMost(Duration.ofMinutes(1)).until(() -> stats.getOpenSessions() == sessions);
		long heapWithSessions = usedHeapAfterGc();
		long rssWithSessions = rssKiB(ProcessHandle.current().pid());
		long clientRss = rssKiB(clients.pid());

		String loadBeforeClose = loadAverage();
		long closeStartEpoch = System.currentTimeMillis();
		long closeStart = System.nanoTime();
		Duration cpuBeforeClose = cpuTime();
		context.close();
		long closeMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closeStart);
		long closeCpuMillis = cpuTime().minus(cpuBeforeClose).toMillis();
		String summary;
		try {
			summary = awaitLine(output, "summary", Duration.ofSeconds(30));
		}
		finally {
			try (OutputStream stdin = clients.getOutputStream()) {
				stdin.write("stop\n".getBytes(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				// Already gone
			}
			clients.waitFor(30, TimeUnit.SECONDS);
			clients.destroyForcibly();
		}

		List<String> report = new ArrayList<>();
		report
			.add("server: " + server + ", sessions: " + sessions + " (" + connected + " in " + connectMillis + " ms)");
		report
			.add("cpus: " + Runtime.getRuntime().availableProcessors() + ", java: " + System.getProperty("java.version")
					+ ", max heap: " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB");
		report.add("load average before the close: " + loadBeforeClose + ", after: " + loadAverage());
		report.add("context.close(): " + closeMillis + " ms, " + closeCpuMillis
				+ " ms of CPU time in the server's JVM (close-spread 2s, close-timeout 3s)");
		report.add("outcomes: closed cleanly " + stats.getClosedCleanly() + ", force-closed " + stats.getForceClosed()
				+ ", already gone " + stats.getAlreadyGone() + ", failed " + stats.getFailed());
		report.add("clients: " + summary + " (close started at " + closeStartEpoch + ")");
		report.add("server heap used after GC: " + (heapBefore >> 20) + " MiB before, " + (heapWithSessions >> 20)
				+ " MiB with the sessions (" + ((heapWithSessions - heapBefore) / sessions) + " bytes per session)");
		report.add("server RSS: " + (rssBefore >> 10) + " MiB before, " + (rssWithSessions >> 10)
				+ " MiB with the sessions; clients' JVM RSS: " + (clientRss >> 10) + " MiB");
		report.forEach(System.out::println);
		Path file = Path.of("target", "websocket-drain-benchmark-" + server.name().toLowerCase() + ".txt");
		Files.write(file, report);
		assertThat(stats.getClosedCleanly() + stats.getForceClosed() + stats.getAlreadyGone() + stats.getFailed())
			.isEqualTo(sessions);
	}

	private static Process startClients(int port, int sessions) throws IOException {
		String java = ProcessHandle.current().info().command().orElse("java");
		return new ProcessBuilder(java, "-Xmx512m", "-cp", System.getProperty("java.class.path"),
				BenchmarkClients.class.getName(), String.valueOf(port), "/echo", String.valueOf(sessions))
			.redirectErrorStream(true)
			.start();
	}

	private static BlockingQueue<String> readLines(Process process) {
		BlockingQueue<String> lines = new LinkedBlockingQueue<>();
		Thread reader = new Thread(() -> {
			try (BufferedReader in = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = in.readLine()) != null) {
					lines.add(line);
				}
			}
			catch (IOException ex) {
				// Process ended
			}
		}, "benchmark-clients-output");
		reader.setDaemon(true);
		reader.start();
		return lines;
	}

	private static String awaitLine(BlockingQueue<String> lines, String prefix, Duration timeout)
			throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			String line = lines.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
			if (line == null) {
				throw new AssertionError("No '" + prefix + "' line from the clients within " + timeout);
			}
			if (line.startsWith(prefix)) {
				return line;
			}
			System.out.println("clients: " + line);
		}
	}

	private static String loadAverage() throws IOException {
		String[] fields = Files.readString(Path.of("/proc/loadavg")).split(" ");
		return fields[0] + " " + fields[1] + " " + fields[2];
	}

	/**
	 * Returns the CPU time the server's JVM has used, all its threads together: on a
	 * shared machine, what the close costs whatever share of the CPU it got.
	 */
	private static Duration cpuTime() {
		return ProcessHandle.current().info().totalCpuDuration().orElse(Duration.ZERO);
	}

	private static long usedHeapAfterGc() {
		for (int i = 0; i < 3; i++) {
			System.gc();
		}
		Runtime runtime = Runtime.getRuntime();
		return runtime.totalMemory() - runtime.freeMemory();
	}

	private static long rssKiB(long pid) throws IOException {
		for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
			if (line.startsWith("VmRSS:")) {
				return Long.parseLong(line.replaceAll("[^0-9]", ""));
			}
		}
		return -1;
	}

	/**
	 * The servers the benchmark runs on, each with the application that serves the plain
	 * echo handler at {@code /echo}.
	 */
	enum Server {

		/**
		 * Spring MVC on embedded Tomcat, with the Jakarta upgrade strategy Tomcat needs
		 * and room for every session.
		 */
		TOMCAT {

			@Override
			SpringApplicationBuilder application(int sessions) {
				return new SpringApplicationBuilder(WebSocketTestApplication.class).properties(
						TestServer.TOMCAT.selection(), WebSocketTestApplication.UPGRADE_STRATEGY_PROPERTY + "=standard",
						"server.tomcat.max-connections=" + (sessions + 1000), "server.tomcat.accept-count=1000");
			}

		},

		/**
		 * Spring MVC on embedded Jetty.
		 */
		JETTY {

			@Override
			SpringApplicationBuilder application(int sessions) {
				return new SpringApplicationBuilder(WebSocketTestApplication.class)
					.properties(TestServer.JETTY.selection());
			}

		},

		/**
		 * WebFlux on Reactor Netty, with a reactive {@code WebSocketHandler}.
		 */
		NETTY {

			@Override
			SpringApplicationBuilder application(int sessions) {
				return new SpringApplicationBuilder(ReactiveWebSocketTestApplication.class)
					.properties(ReactiveTestServer.REACTOR_NETTY.properties());
			}

		};

		abstract SpringApplicationBuilder application(int sessions);

	}

}
