package io.github.gracefulshutdown.e2e.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * What every scenario shares: where the programs are, where the output goes, and the
 * shape of the load and of the restart.
 *
 * @param sampleJars the executable jar of the sample application of each stack
 * @param haproxyBinary the {@code haproxy} executable
 * @param outputDirectory where logs, tables and charts go
 * @param requestsPerSecond the steady rate of the load, all pods together
 * @param warmUp how long the load runs before the rolling restart
 * @param tail how long the load runs after the rolling restart
 * @param terminationGracePeriod the pods' {@code terminationGracePeriodSeconds}
 */
public record HarnessSettings(Map<Stack, Path> sampleJars, Path haproxyBinary, Path outputDirectory,
		int requestsPerSecond, Duration warmUp, Duration tail, Duration terminationGracePeriod) {

	/**
	 * Creates settings; the map of jars is copied.
	 * @param sampleJars the executable jar of the sample application of each stack
	 * @param haproxyBinary the {@code haproxy} executable
	 * @param outputDirectory where logs, tables and charts go
	 * @param requestsPerSecond the steady rate of the load, all pods together
	 * @param warmUp how long the load runs before the rolling restart
	 * @param tail how long the load runs after the rolling restart
	 * @param terminationGracePeriod the pods' {@code terminationGracePeriodSeconds}
	 */
	public HarnessSettings {
		sampleJars = Map.copyOf(sampleJars);
	}

	/**
	 * Reads the locations from the system properties {@code sample.jar},
	 * {@code sample-webflux.jar}, {@code sample-grpc.jar}, {@code haproxy.binary} and
	 * {@code rolling-restart.output} (as the build sets them), with
	 * {@code rolling-restart.rate} requests per second (50 unless set), 3 s of load
	 * before and after the restart, and Kubernetes' default grace period of 30 s.
	 * @return the settings
	 */
	public static HarnessSettings fromSystemProperties() {
		Map<Stack, Path> sampleJars = new EnumMap<>(Stack.class);
		for (Stack stack : Stack.values()) {
			sampleJars.put(stack, Path.of(required(stack.jarProperty())));
		}
		return new HarnessSettings(sampleJars, Path.of(System.getProperty("haproxy.binary", "/usr/sbin/haproxy")),
				Path.of(System.getProperty("rolling-restart.output", "target/rolling-restart")),
				Integer.parseInt(System.getProperty("rolling-restart.rate", "50")), Duration.ofSeconds(3),
				Duration.ofSeconds(3), Duration.ofSeconds(30));
	}

	/**
	 * Returns the executable jar of the sample application of a stack.
	 * @param stack the stack
	 * @return the jar
	 */
	public Path sampleJar(Stack stack) {
		Path jar = this.sampleJars.get(stack);
		if (jar == null) {
			throw new IllegalStateException("No sample jar for " + stack.label());
		}
		return jar;
	}

	private static String required(String name) {
		String value = System.getProperty(name);
		if (value == null || value.isBlank()) {
			throw new IllegalStateException("System property " + name + " is not set");
		}
		return value;
	}

}
