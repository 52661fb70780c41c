package io.github.gracefulshutdown.web;

/**
 * What a web stack's streaming responses (server-sent events, response body emitters,
 * NDJSON bodies) look like to the drain's meters and report.
 */
public interface StreamingResponseStats {

	/**
	 * Returns how many streaming responses are open.
	 * @return the number of open streams
	 */
	long getOpen();

	/**
	 * Returns how many streaming responses the drain ended.
	 * @return the number of streams the drain ended
	 */
	long getCompletedByDrain();

}
