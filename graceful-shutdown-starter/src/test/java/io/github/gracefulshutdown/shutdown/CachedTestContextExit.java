package io.github.gracefulshutdown.shutdown;

import io.github.gracefulshutdown.test.FaultTestApplication;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.test.context.TestContextManager;

/**
 * A test JVM in miniature: loads the context of a {@code @SpringBootTest} class through
 * the Spring TestContext Framework, which caches it, then ends, so that the context is
 * closed by a shutdown hook when the JVM exits, as a test runner's JVM does at the end of
 * a suite with the contexts it cached.
 */
public final class CachedTestContextExit {

	private CachedTestContextExit() {
	}

	public static void main(String[] args) throws Exception {
		new TestContextManager(CachedContextTest.class).prepareTestInstance(new CachedContextTest());
		System.out.println("Test context loaded");
		System.exit(0);
	}

	/**
	 * The test class whose context is cached.
	 */
	@SpringBootTest(classes = FaultTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
			properties = { "server.address=127.0.0.1", "graceful-shutdown.delay=20s" })
	static class CachedContextTest {

	}

}
