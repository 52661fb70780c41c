package io.github.gracefulshutdown.e2e;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.e2e.report.GrpcRestartReport;
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
 * A rolling restart of two pods of the gRPC sample under steady unary calls, and one
 * subscription to its ticks that resumes wherever a stream ends, from a grpc-java client
 * that balances round robin between the pods itself, as a client of a headless Service
 * does, and learns of a pod's removal after a propagation lag of 2 s, with the starter's
 * defaults on Kubernetes. With {@code grpc-rolling-restart.docs} set to the documentation
 * directory, a benchmark run: once more with plain Spring gRPC, whose failures are
 * measured, not asserted (its pod holding a stream waits out Spring gRPC's 30 s grace
 * period), and the results replace the gRPC section of {@code benchmarks.md}.
 */
class GrpcRollingRestartIT {

	private static final Duration PROPAGATION_LAG = Duration.ofSeconds(2);

	private static final Duration WORK = Duration.ofMillis(50);

	private static final int SIGTERM_EXIT_CODE = 143;

	@Test
	@Timeout(value = 10, unit = TimeUnit.MINUTES)
	void withTheStarterDefaultsNoCallFailsNoStreamIsCutOffAndEveryPodExitsByItselfWhilePlainSpringGrpcIsMeasured()
			throws Exception {
		HarnessSettings defaults = HarnessSettings.fromSystemProperties();
		HarnessSettings settings = new HarnessSettings(defaults.sampleJars(), defaults.haproxyBinary(),
				defaults.outputDirectory().resolve("sample-grpc"), defaults.requestsPerSecond(), defaults.warmUp(),
				defaults.tail(), defaults.terminationGracePeriod());
		Variant starter = Variant.starterDefaults().onKubernetes();
		String docs = System.getProperty("grpc-rolling-restart.docs", "");
		List<Scenario> scenarios = new ArrayList<>();
		scenarios.add(new Scenario(Stack.GRPC, Routing.CLIENT_SIDE, starter, WORK, PROPAGATION_LAG));
		if (!docs.isBlank()) {
			scenarios.add(new Scenario(Stack.GRPC, Routing.CLIENT_SIDE, Variant.plainSpringGrpc().onKubernetes(), WORK,
					PROPAGATION_LAG));
		}
		ScenarioRunner runner = new ScenarioRunner(settings);
		List<ScenarioResult> results = new ArrayList<>();
		DoubleSummaryStatistics loadAverages = new DoubleSummaryStatistics();
		for (Scenario scenario : scenarios) {
			results.add(runner.run(scenario));
			loadAverages.accept(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
		}

		String environment = GrpcRestartReport.environment(settings, loadAverages);
		GrpcRestartReport.write(results, environment, settings.outputDirectory());
		if (!docs.isBlank()) {
			GrpcRestartReport.publish(results, environment, Path.of(docs));
		}
		ScenarioResult withStarter = results.get(0);
		assertThat(withStarter.servingInstances()).as("instances that answered calls")
			.containsExactlyInAnyOrder("pod1-v1", "pod2-v1", "pod1-v2", "pod2-v2");
		assertThat(withStarter.failures()).as(withStarter::describeFailures).isEmpty();
		assertThat(withStarter.streamsCutOff()).as("tick streams cut off").isEmpty();
		assertThat(withStarter.streams()).as("tick streams the drain ended cleanly").isNotEmpty();
		assertThat(withStarter.stops()).hasSize(2).allSatisfy((stop) -> {
			assertThat(stop.sigkilled()).as("%s SIGKILLed", stop.pod()).isFalse();
			assertThat(stop.exitCode()).as("exit code of %s", stop.pod()).isEqualTo(SIGTERM_EXIT_CODE);
			assertThat(stop.sigtermToExit()).as("SIGTERM to exit of %s", stop.pod())
				.isGreaterThanOrEqualTo(starter.window())
				.isLessThan(settings.terminationGracePeriod());
		});
	}

}
