package io.github.gracefulshutdown.drain;

import java.time.Duration;

/**
 * A request in flight, as shown when the in-flight drain reaches its deadline.
 *
 * @param method the HTTP method
 * @param path the request path, without query string
 * @param runningFor how long the request has been running
 */
public record ActiveRequest(String method, String path, Duration runningFor) {

	@Override
	public String toString() {
		return this.method + " " + this.path + " (running for " + Durations.format(this.runningFor) + ")";
	}

}
