package io.github.gracefulshutdown.e2e.load;

import java.time.Duration;
import java.util.List;

/**
 * Load at a steady rate, whatever the answers, with the outcome of every request or call
 * recorded, and perhaps long-lived streams beside it.
 */
public interface SteadyLoad extends AutoCloseable {

	/**
	 * Starts sending.
	 * @param longest the absolute limit: sending stops by itself after this long
	 */
	void start(Duration longest);

	/**
	 * Stops sending, waits for the requests in flight to end and returns every request's
	 * record.
	 * @param timeout the longest to wait for requests in flight; it should exceed the
	 * request timeout
	 * @return the records, in the order the requests were sent
	 * @throws InterruptedException if interrupted while waiting
	 */
	List<RequestRecord> stop(Duration timeout) throws InterruptedException;

	/**
	 * Returns how the long-lived streams of the load that ended while it ran ended, once
	 * it has stopped: one record per stream, in the order they were opened.
	 * @return the records of the streams; none for a load without streams
	 */
	default List<RequestRecord> streams() {
		return List.of();
	}

	/**
	 * Stops sending and releases the client's resources.
	 */
	@Override
	void close();

}
