package io.github.gracefulshutdown.e2e;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.DoubleSummaryStatistics;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.DoubleStream;

import io.github.gracefulshutdown.e2e.haproxy.Haproxy;
import io.github.gracefulshutdown.e2e.report.RollingRestartReport;
import io.github.gracefulshutdown.e2e.scenario.HarnessSettings;
import io.github.gracefulshutdown.e2e.scenario.Routing;
import io.github.gracefulshutdown.e2e.scenario.Scenario;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import io.github.gracefulshutdown.e2e.scenario.ScenarioRunner;
import io.github.gracefulshutdown.e2e.scenario.Stack;
import io.github.gracefulshutdown.e2e.scenario.Variant;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rolling restart of two pods of a sample application, with the starter, behind a real
 * HAProxy that health-checks their readiness probes, under steady load: the Spring MVC
 * sample on Tomcat, and the WebFlux sample on Reactor Netty.
 */
class RollingRestartIT {

	private static final Duration WINDOW = Duration.ofSeconds(3);

	private static final Duration PROPAGATION_LAG = Duration.ofSeconds(2);

	private static final int SIGTERM_EXIT_CODE = 143;

	@ParameterizedTest(name = "{0}")
	@EnumSource(names = { "SPRING_MVC", "WEBFLUX" })
	@Timeout(value = 5, unit = TimeUnit.MINUTES)
	void withTheStarterNoRequestFailsAndEveryPodExitsByItselfWhenTheLagFitsTheWindow(Stack stack) throws Exception {
		HarnessSettings defaults = HarnessSettings.fromSystemProperties();
		HarnessSettings settings = new HarnessSettings(defaults.sampleJars(), defaults.haproxyBinary(),
				defaults.outputDirectory().resolve(stack.jarProperty().replace(".jar", "")),
				defaults.requestsPerSecond(), defaults.warmUp(), defaults.tail(), defaults.terminationGracePeriod());
		Scenario scenario = new Scenario(stack, Routing.HAPROXY, Variant.starter(WINDOW), Duration.ofMillis(50),
				PROPAGATION_LAG);

		ScenarioResult result = new ScenarioRunner(settings).run(scenario);

		DoubleSummaryStatistics loadAverage = DoubleStream
			.of(ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage())
			.summaryStatistics();
		RollingRestartReport.write(List.of(result),
				RollingRestartReport.environment(settings, Haproxy.version(settings.haproxyBinary()), loadAverage),
				settings.outputDirectory());
		assertThat(result.servingInstances()).as("instances that served requests")
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
