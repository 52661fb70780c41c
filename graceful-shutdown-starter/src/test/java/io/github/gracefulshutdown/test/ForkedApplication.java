package io.github.gracefulshutdown.test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.testsupport.ForkedJvm;

/**
 * A main class of the test classpath running in a JVM of its own, with its output
 * captured, so that a test can stop it with a real SIGTERM and watch the JVM's own
 * shutdown. The environment is the test's: Kubernetes' service variables are removed
 * unless the test passes them.
 */
public final class ForkedApplication extends ForkedJvm {

	private static final Pattern PORT = Pattern.compile("(?:Tomcat|Jetty) started on port (\\d+)");

	private ForkedApplication(ProcessBuilder command) throws IOException {
		super(command, "forked-application-output");
	}

	/**
	 * Starts a JVM that runs the given main class with the test classpath.
	 * @param mainClass the class whose {@code main} to run
	 * @param environment environment variables to set
	 * @param arguments the program arguments
	 * @return the running JVM
	 * @throws IOException if the JVM cannot start
	 */
	public static ForkedApplication start(Class<?> mainClass, Map<String, String> environment, String... arguments)
			throws IOException {
		String classpath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
		ProcessBuilder builder = command(List.of(), List.of("-cp", classpath, mainClass.getName()), arguments);
		builder.environment().putAll(environment);
		return new ForkedApplication(builder);
	}

	/**
	 * Waits for the application's main server to start and returns its port.
	 * @return the port
	 */
	public int awaitPort() {
		return Integer.parseInt(awaitLog(PORT, Duration.ofSeconds(60)).group(1));
	}

}
