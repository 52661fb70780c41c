package io.github.gracefulshutdown.websocket;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;

import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;

/**
 * How the drain closes WebSocket sessions: the close frame every session gets, the time
 * over which close frames are spread, and how long clients have to answer.
 *
 * @param code the close code
 * @param reason the close reason
 * @param spread the time over which close frames are spread
 * @param timeout how long to wait for answers after the last close frame
 */
record ClosePolicy(int code, String reason, Duration spread, Duration timeout) {

	static final String PREFIX = "graceful-shutdown.websocket.";

	/**
	 * The longest close reason the protocol allows, in bytes of UTF-8 (RFC 6455, 5.5:
	 * control frames carry at most 125 bytes, two of which hold the code).
	 */
	static final int MAX_REASON_BYTES = 123;

	private static final Set<Integer> PROTOCOL_CODES = Set.of(1000, 1001, 1012, 1013);

	/**
	 * Creates the policy the properties describe.
	 * @param properties the properties
	 * @return the policy
	 * @throws InvalidDrainConfigurationException if a property has a value that cannot
	 * work
	 */
	static ClosePolicy of(WebSocketDrainProperties properties) {
		int code = properties.getCloseCode();
		if (!PROTOCOL_CODES.contains(code) && (code < 3000 || code > 4999)) {
			throw new InvalidDrainConfigurationException(
					PREFIX + "close-code is " + code + ", which a server cannot send to say it is going away.",
					"Set " + PREFIX + "close-code to 1001 (Going Away, the default) or 1012 (Service Restart); "
							+ "1000, 1013 and application codes from 3000 to 4999 are accepted too.");
		}
		String reason = properties.getCloseReason();
		int reasonBytes = reason.getBytes(StandardCharsets.UTF_8).length;
		if (reasonBytes > MAX_REASON_BYTES) {
			throw new InvalidDrainConfigurationException(
					PREFIX + "close-reason is " + reasonBytes + " bytes long in UTF-8, but a close frame holds at most "
							+ MAX_REASON_BYTES + ".",
					"Shorten " + PREFIX + "close-reason to at most " + MAX_REASON_BYTES + " bytes.");
		}
		return new ClosePolicy(code, reason,
				InvalidDrainConfigurationException.requireNotNegative(PREFIX + "close-spread",
						properties.getCloseSpread()),
				InvalidDrainConfigurationException.requireNotNegative(PREFIX + "close-timeout",
						properties.getCloseTimeout()));
	}

	/**
	 * Returns the longest the close of all sessions can take.
	 * @return the close spread plus the close timeout
	 */
	Duration longest() {
		return this.spread.plus(this.timeout);
	}

}
