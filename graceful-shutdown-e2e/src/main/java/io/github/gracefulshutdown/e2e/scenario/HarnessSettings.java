package io.github.gracefulshutdown.e2e.scenario;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What every scenario shares: where the programs are, where the output goes, and the
 * shape of the load and of the restart.
 *
 * @param sampleJar the sample application's executable jar
 * @param haproxyBinary the {@code haproxy} executable
 * @param outputDirectory where logs, tables and charts go
 * @param requestsPerSecond the steady rate of the load, all pods together
 * @param warmUp how long the load runs before the rolling restart
 * @param tail how long the load runs after the rolling restart
 * @param terminationGracePeriod the pods' {@code terminationGracePeriodSeconds}
 */
public record HarnessSettings(Path sampleJar, Path haproxyBinary, Path outputDirectory, int requestsPerSecond,
		Duration warmUp, Duration tail, Duration terminationGracePeriod) {

	/**
	 * Reads the locations from the system properties {@code sample.jar},
	 * {@code haproxy.binary} and {@code rolling-restart.output} (as the build sets them),
	 * with {@code rolling-restart.rate} requests per second (50 unless set), 3 s of load
	 * before and after the restart, and Kubernetes' default grace period of 30 s.
	 * @return the settings
	 */
	public static HarnessSettings fromSystemProperties() {
		return new HarnessSettings(Path.of(required("sample.jar")),
				Path.of(System.getProperty("haproxy.binary", "/usr/sbin/haproxy")),
				Path.of(System.getProperty("rolling-restart.output", "target/rolling-restart")),
				Integer.parseInt(System.getProperty("rolling-restart.rate", "50")), Duration.ofSeconds(3),
				Duration.ofSeconds(3), Duration.ofSeconds(30));
	}

	private static String required(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException("System property " + name + " is not set");
		}
		return value;
	}

}
