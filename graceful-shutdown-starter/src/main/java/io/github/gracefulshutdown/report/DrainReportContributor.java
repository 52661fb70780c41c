package io.github.gracefulshutdown.report;

import java.util.Map;

import io.github.gracefulshutdown.drain.Drain;
import org.jspecify.annotations.Nullable;

/**
 * Adds the figures one part of the application knows about a drain (requests, WebSocket
 * sessions, tasks, ...) to the drain report and to the actuator endpoint. Beans of this
 * type are asked in order.
 */
@FunctionalInterface
public interface DrainReportContributor {

	/**
	 * Puts this contributor's figures into the given map, in the order they should
	 * appear. Values are strings, numbers, booleans or {@code null}; durations are given
	 * in milliseconds under a key that ends with {@code Millis}. The map is this
	 * contributor's own, added to the report once it returns: it does not hold the
	 * figures of other contributors, and a contributor that throws adds none.
	 * @param drain the running or completed drain, or {@code null} if none has started
	 * @param figures where to put the figures
	 */
	void contribute(@Nullable Drain drain, Map<String, @Nullable Object> figures);

}
