package io.github.gracefulshutdown.e2e.load;

import org.jspecify.annotations.Nullable;

/**
 * What happened to one request, or to one gRPC call.
 *
 * @param startNanos when it was sent, in {@link System#nanoTime()}
 * @param endNanos when it ended, in {@link System#nanoTime()}
 * @param outcome how it ended
 * @param status the response status, or 0 without a response; for a gRPC call, the value
 * of its status code (0 for OK)
 * @param instance the instance that answered ({@code X-Instance}), or the one it was sent
 * to when known; {@code null} when neither is known
 * @param detail what went wrong: the failure message, or the status and the start of the
 * body of a non-2xx response; {@code null} for a 2xx response; for a stream, also which
 * ticks it carried
 */
public record RequestRecord(long startNanos, long endNanos, Outcome outcome, int status, @Nullable String instance,
		@Nullable String detail) {

	/**
	 * Returns whether the request failed: anything but a 2xx response.
	 * @return {@code true} if it failed
	 */
	public boolean failed() {
		return this.outcome != Outcome.SUCCESS;
	}

}
