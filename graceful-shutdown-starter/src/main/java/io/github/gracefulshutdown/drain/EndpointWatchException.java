package io.github.gracefulshutdown.drain;

/**
 * Why an {@link EndpointRemovalWatch} cannot tell when the endpoint was removed: its
 * message says what failed and, where it can, what to change.
 */
public class EndpointWatchException extends RuntimeException {

	/**
	 * Creates an exception.
	 * @param message what failed
	 */
	public EndpointWatchException(String message) {
		super(message);
	}

	/**
	 * Creates an exception.
	 * @param message what failed
	 * @param cause the failure underneath
	 */
	public EndpointWatchException(String message, Throwable cause) {
		super(message, cause);
	}

}
