package io.github.gracefulshutdown.test;

import java.util.concurrent.CompletableFuture;

/**
 * Runs blocking work of a test (a context close that waits for the window, a client that
 * reads a stream) on a thread of its own. {@link CompletableFuture#runAsync(Runnable)} is
 * no substitute: on a 2-core machine the common pool has one thread, and from Java 25 on
 * {@code CompletableFuture} uses it even then, so two blocking tasks would run one after
 * the other.
 */
public final class TestThreads {

	private TestThreads() {
	}

	/**
	 * Runs the task on a new daemon thread.
	 * @param task the task
	 * @return a future that completes when the task has run
	 */
	public static CompletableFuture<Void> runInBackground(Runnable task) {
		return CompletableFuture.runAsync(task, (runnable) -> {
			Thread thread = new Thread(runnable, "test-background");
			thread.setDaemon(true);
			thread.start();
		});
	}

}
