package io.github.gracefulshutdown.e2e.load;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.http.HttpTimeoutException;
import java.util.Locale;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * How a request ended. Anything but {@link #SUCCESS} is a failed request.
 */
public enum Outcome {

	/**
	 * A response with a 2xx status.
	 */
	SUCCESS,

	/**
	 * A response with any other status.
	 */
	HTTP_ERROR,

	/**
	 * A gRPC call that ended with a status other than OK; the record's status holds its
	 * code.
	 */
	GRPC_ERROR,

	/**
	 * The connection was refused: nothing listened on the port.
	 */
	REFUSED,

	/**
	 * The connection was reset, or closed before a response arrived.
	 */
	RESET,

	/**
	 * No response within the request timeout, or no connection within the connect
	 * timeout.
	 */
	TIMEOUT,

	/**
	 * Any other I/O failure.
	 */
	OTHER_IO,

	/**
	 * The load generator could not send the request: no endpoint to send it to, or too
	 * many requests in flight.
	 */
	NOT_SENT;

	/**
	 * Returns the outcome of a response.
	 * @param status the response status
	 * @return {@link #SUCCESS} for 2xx, {@link #HTTP_ERROR} otherwise
	 */
	public static Outcome ofStatus(int status) {
		return (status >= 200 && status < 300) ? SUCCESS : HTTP_ERROR;
	}

	/**
	 * Returns the outcome of a request that ended without a response, from the exception
	 * the client failed with or one of its causes.
	 * @param failure what the client failed with
	 * @return the outcome
	 */
	public static Outcome ofFailure(Throwable failure) {
		for (Throwable cause = unwrap(failure); cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpTimeoutException) {
				return TIMEOUT;
			}
			if (cause instanceof ConnectException) {
				return REFUSED;
			}
			if (cause instanceof EOFException || isReset(cause)) {
				return RESET;
			}
		}
		return OTHER_IO;
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable unwrapped = failure;
		while ((unwrapped instanceof CompletionException || unwrapped instanceof ExecutionException)
				&& unwrapped.getCause() != null) {
			unwrapped = unwrapped.getCause();
		}
		return unwrapped;
	}

	private static boolean isReset(Throwable cause) {
		String message = lowerCaseMessage(cause);
		return (cause instanceof SocketException && message.contains("reset")) || message.contains("connection reset")
				|| message.contains("received no bytes") || message.contains("connection closed");
	}

	private static String lowerCaseMessage(@Nullable Throwable cause) {
		String message = (cause != null) ? cause.getMessage() : null;
		return (message != null) ? message.toLowerCase(Locale.ROOT) : "";
	}

}
