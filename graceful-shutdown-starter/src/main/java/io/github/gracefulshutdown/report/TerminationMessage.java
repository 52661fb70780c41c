package io.github.gracefulshutdown.report;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import org.jspecify.annotations.Nullable;

/**
 * Fits a drain report into a container's termination message. The kubelet keeps only the
 * last {@value #MAX_BYTES} bytes of the file, so a longer report would lose its head and
 * no longer be JSON; instead, a report that is too long keeps its short fields (the
 * trigger, times, phase durations and counts) and leaves out long ones that do not fit,
 * which are in the log line.
 */
final class TerminationMessage {

	/**
	 * Bytes of a termination message the kubelet keeps.
	 */
	static final int MAX_BYTES = 4096;

	/**
	 * Longest field, in bytes, that goes in before any longer one: room for a figure
	 * under a long name or a timestamp.
	 */
	private static final int MAX_SHORT_FIELD_BYTES = 64;

	private static final String TRUNCATED = DrainReport.member("truncated", true);

	private TerminationMessage() {
	}

	/**
	 * Returns the report as JSON of at most {@value #MAX_BYTES} bytes in UTF-8. A report
	 * that is longer keeps whole fields only: first its short fields, in the report's
	 * order, as long as they fit, then its longer fields the same way. It starts with
	 * {@code "truncated":true} and keeps the report's order.
	 * @param report the report
	 * @return the report, whole if it fits
	 */
	static String fit(DrainReport report) {
		String json = report.toJson();
		if (bytes(json) <= MAX_BYTES) {
			return json;
		}
		Set<String> kept = new HashSet<>();
		int length = bytes("{" + TRUNCATED + "}");
		for (boolean shortFields : List.of(true, false)) {
			for (Map.Entry<String, @Nullable Object> field : report.fields().entrySet()) {
				int memberLength = bytes(DrainReport.member(field.getKey(), field.getValue()));
				boolean fits = length + 1 + memberLength <= MAX_BYTES;
				if ((memberLength <= MAX_SHORT_FIELD_BYTES) == shortFields && fits) {
					kept.add(field.getKey());
					length += 1 + memberLength;
				}
			}
		}
		StringJoiner fitted = new StringJoiner(",", "{", "}").add(TRUNCATED);
		report.fields().forEach((name, value) -> {
			if (kept.contains(name)) {
				fitted.add(DrainReport.member(name, value));
			}
		});
		return fitted.toString();
	}

	private static int bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8).length;
	}

}
