package io.github.gracefulshutdown.test;

/**
 * Properties every test application starts with, so that no test depends on the machine
 * it runs on: no cloud platform unless the test says so (a CI runner on Kubernetes would
 * otherwise turn the window on), and every close of the context drains as a stop of the
 * process would. Tests that run the application in a JVM of its own and stop it with a
 * real signal cover the stop of the process itself.
 */
public final class TestDefaults {

	/**
	 * The properties, as {@code key=value}; properties a test sets after them win.
	 */
	public static final String[] PROPERTIES = { "spring.main.cloud-platform=none",
			"graceful-shutdown.drain-on-any-close=true" };

	private TestDefaults() {
	}

}
