package io.github.gracefulshutdown.autoconfigure;

import java.util.function.Consumer;

import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * Why the application context is closing, as far as the drain is concerned: only a stop
 * of the process is worth a propagation window of its own.
 */
enum CloseCause {

	/**
	 * The JVM is shutting down (SIGTERM, SIGINT, {@code System.exit}) and runs the
	 * shutdown hook that closes the context.
	 */
	PROCESS_STOP,

	/**
	 * The context belongs to the Spring TestContext Framework, which closes it when a
	 * test dirties it or, for cached contexts, when the test JVM exits.
	 */
	TEST_CONTEXT,

	/**
	 * Any other close: application code, a devtools restart.
	 */
	OTHER;

	/**
	 * Name of the property source the Spring TestContext Framework adds to the
	 * environment of every context it loads with inlined properties, which Spring Boot's
	 * test support always has.
	 */
	static final String TEST_PROPERTY_SOURCE_NAME = "Inlined Test Properties";

	/**
	 * Tells why the context of the given environment is closing now.
	 * @param environment the environment of the closing context
	 * @return the cause of the close
	 */
	static CloseCause of(Environment environment) {
		if (environment instanceof ConfigurableEnvironment configurable
				&& configurable.getPropertySources().contains(TEST_PROPERTY_SOURCE_NAME)) {
			return TEST_CONTEXT;
		}
		return jvmShuttingDown() ? PROCESS_STOP : OTHER;
	}

	/**
	 * Returns whether the JVM is shutting down: once it has started to run its shutdown
	 * hooks, it refuses new ones.
	 * @return {@code true} during the shutdown of the JVM
	 */
	static boolean jvmShuttingDown() {
		Runtime runtime = Runtime.getRuntime();
		return jvmShuttingDown(runtime::addShutdownHook, runtime::removeShutdownHook);
	}

	/**
	 * Returns whether the JVM is shutting down, by adding a hook that does nothing and
	 * removing it again: a JVM whose shutdown began between the two refuses the removal.
	 * @param addHook adds a shutdown hook
	 * @param removeHook removes a shutdown hook
	 * @return {@code true} during the shutdown of the JVM
	 */
	static boolean jvmShuttingDown(Consumer<Thread> addHook, Consumer<Thread> removeHook) {
		Thread probe = new Thread(() -> {
		}, "graceful-shutdown-probe");
		try {
			addHook.accept(probe);
			removeHook.accept(probe);
			return false;
		}
		catch (IllegalStateException ex) {
			return true;
		}
	}

}
