package io.github.gracefulshutdown.e2e;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;

import io.github.gracefulshutdown.e2e.haproxy.Haproxy;
import io.github.gracefulshutdown.e2e.process.ChildProcesses;
import io.github.gracefulshutdown.e2e.process.SampleInstance;
import io.github.gracefulshutdown.e2e.process.SampleLauncher;
import io.github.gracefulshutdown.e2e.report.RollingRestartReport;
import io.github.gracefulshutdown.e2e.scenario.HarnessSettings;
import io.github.gracefulshutdown.e2e.scenario.Routing;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.ScenarioRunner;
import io.github.gracefulshutdown.e2e.scenario.Stack;
import io.github.gracefulshutdown.e2e.scenario.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling restart of two pods of the sample Spring Cloud Gateway, with the starter,
 * behind a real HAProxy that health-checks their readiness probes, under steady load. The
 * one backend both gateways route to, the Spring MVC sample, stays up throughout: only
 * the gateway restarts.
 */
class GatewayRollingRestartIT {

	private static final Duration WINDOW = Duration.ofSeconds(3);

	private static final Duration PROPAGATION_LAG = Duration.ofSeconds(2);

	private static final Duration BACKEND_READY_TIMEOUT = Duration.ofMinutes(3);

	private static final int SIGTERM_EXIT_CODE = 143;

	@Test
	@Timeout(value = 10, unit = TimeUnit.MINUTES)
	void withTheStarterNoRequestThroughTheGatewayFailsAndEveryGatewayPodExitsByItself() throws Exception {
		HarnessSettings defaults = HarnessSettings.fromSystemProperties();
		// The gateway is a WebFlux application on Reactor Netty: its pods run as that
		// stack
		HarnessSettings settings = new HarnessSettings(
				Map.of(Stack.WEBFLUX, Path.of(System.getProperty("sample-gateway.jar"))), defaults.haproxyBinary(),
				defaults.outputDirectory().resolve("sample-gateway"), defaults.requestsPerSecond(), defaults.warmUp(),
				defaults.tail(), defaults.terminationGracePeriod());
		try (ChildProcesses children = new ChildProcesses();
				SampleInstance backend = new SampleLauncher(defaults.sampleJar(Stack.SPRING_MVC),
						settings.outputDirectory().resolve("logs").resolve("backend"), children, List.of())
					.launch("backend")) {
			backend.awaitReady(BACKEND_READY_TIMEOUT);
			Variant gateway = Variant.starter(WINDOW)
				.withArguments("--sample.backend-uri=http://127.0.0.1:" + backend.port());
			Scenario scenario = new Scenario(Stack.WEBFLUX, Routing.HAPROXY, gateway, Duration.ofMillis(50),
					PROPAGATION_LAG);

			ScenarioResult result = new ScenarioRunner(settings).run(scenario);

			DoubleSummaryStatistics loadAverage = DoubleStream
				.of(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
				.summaryStatistics();
			RollingRestartReport.write(List.of(result),
					RollingRestartReport.environment(settings, Haproxy.version(settings.haproxyBinary()), loadAverage),
					settings.outputDirectory());
			assertThat(result.servingInstances()).as("gateway instances that served requests")
				.containsExactlyInAnyOrder("pod1-v1", "pod2-v1", "pod1-v2", "pod2-v2");
			assertThat(result.failures()).as(result::describeFailures).isEmpty();
			assertThat(result.stops()).hasSize(2).allSatisfy((stop) -> {
				assertThat(stop.sigkilled()).as("%s SIGKILLed", stop.pod()).isFalse();
				assertThat(stop.exitCode()).as("exit code of %s", stop.pod()).isEqualTo(SIGTERM_EXIT_CODE);
				assertThat(stop.sigtermToExit()).as("SIGTERM to exit of %s", stop.pod())
					.isGreaterThanOrEqualTo(WINDOW)
					.isLessThan(settings.terminationGracePeriod());
			});
		}
	}

}
