package io.github.gracefulshutdown.shutdown;

import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.test.ForkedApplication;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test JVM on a Kubernetes-hosted CI runner, where {@code KUBERNETES_SERVICE_HOST} is
 * set: its cached test contexts are closed at the exit of the JVM without a drain.
 */
class TestSuiteExitTests {

	@Test
	void whenATestJvmOnKubernetesExitsThenItsCachedContextsCloseWithoutADrain() throws Exception {
		try (ForkedApplication tests = ForkedApplication.start(CachedTestContextExit.class,
				Map.of("KUBERNETES_SERVICE_HOST", "10.96.0.1", "KUBERNETES_SERVICE_PORT", "443"))) {
			tests.awaitLog(Pattern.compile("Test context loaded"), Duration.ofSeconds(60));

			tests.awaitExit(Duration.ofSeconds(60));

			assertThat(tests.exitValue()).isZero();
			assertThat(tests.output()).contains("Drain budget: window 20s")
				.doesNotContain("Drain started")
				.doesNotContain("Drain report");
		}
	}

}
