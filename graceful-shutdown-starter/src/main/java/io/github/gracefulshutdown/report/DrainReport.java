package io.github.gracefulshutdown.report;

import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.PhaseTiming;
import io.github.gracefulshutdown.drain.WindowEndReason;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonWriter;

/**
 * What one drain did: its trigger, how long each phase took, why the propagation window
 * ended and how far it was extended, when the platform published the removal of the
 * endpoint if the window watched for it, and the figures of every
 * {@link DrainReportContributor}.
 */
public final class DrainReport {

	private static final Log logger = LogFactory.getLog(DrainReport.class);

	private static final JsonWriter<Map<String, @Nullable Object>> JSON = JsonWriter.standard();

	private final Map<String, @Nullable Object> fields;

	private DrainReport(Map<String, @Nullable Object> fields) {
		this.fields = fields;
	}

	/**
	 * Builds the report of a drain.
	 * @param drain the drain, usually completed
	 * @param contributors what adds figures to the report
	 * @return the report
	 */
	public static DrainReport of(Drain drain, List<DrainReportContributor> contributors) {
		Map<String, @Nullable Object> fields = new LinkedHashMap<>();
		fields.put("trigger", drain.trigger().name());
		fields.put("startedAt", drain.startedAt().toString());
		Instant completedAt = drain.completedAt();
		Instant end = (completedAt != null) ? completedAt : drain.now();
		fields.put("completedAt", (completedAt != null) ? completedAt.toString() : null);
		fields.put("totalMillis", Duration.between(drain.startedAt(), end).toMillis());
		for (PhaseTiming timing : drain.timeline()) {
			fields.put(key(timing.phase()) + "Millis", timing.duration(end).toMillis());
		}
		WindowEndReason windowEndReason = drain.windowEndReason();
		fields.put("windowEndReason", (windowEndReason != null) ? windowEndReason.name() : null);
		fields.put("windowExtensionMillis", drain.windowExtension().toMillis());
		if (drain.isEndpointWatched()) {
			Duration endpointRemoval = drain.endpointRemoval();
			fields.put("endpointRemovalMillis", (endpointRemoval != null) ? endpointRemoval.toMillis() : null);
		}
		addFigures(drain, contributors, fields);
		return new DrainReport(fields);
	}

	/**
	 * Asks each contributor, in order, for its figures. A contributor that fails (an
	 * {@link Error} included, such as a class of an optional library that is missing) is
	 * logged and left out, figures it had already put in included, so that the figures of
	 * the others, and the report, still come.
	 * @param drain the running or completed drain, or {@code null} if none has started
	 * @param contributors what adds figures
	 * @param figures where to put the figures
	 */
	public static void addFigures(@Nullable Drain drain, List<DrainReportContributor> contributors,
			Map<String, @Nullable Object> figures) {
		for (DrainReportContributor contributor : contributors) {
			Map<String, @Nullable Object> own = new LinkedHashMap<>();
			try {
				contributor.contribute(drain, own);
			}
			catch (VirtualMachineError ex) {
				throw ex;
			}
			catch (Throwable ex) {
				logger.warn("Drain report contributor " + contributor + " failed; its figures are left out", ex);
				continue;
			}
			figures.putAll(own);
		}
	}

	/**
	 * Returns the name of a phase as it appears in reports, such as
	 * {@code propagationWindow}.
	 * @param phase the phase
	 * @return the camel-case name of the phase
	 */
	public static String key(DrainPhase phase) {
		StringBuilder key = new StringBuilder();
		for (String word : phase.name().toLowerCase(Locale.ROOT).split("_")) {
			key.append(key.isEmpty() ? word : Character.toUpperCase(word.charAt(0)) + word.substring(1));
		}
		return key.toString();
	}

	/**
	 * Returns the fields of the report, in order.
	 * @return the fields
	 */
	public Map<String, @Nullable Object> fields() {
		return this.fields;
	}

	/**
	 * Returns the report as one line of JSON.
	 * @return the JSON object
	 */
	public String toJson() {
		return JSON.writeToString(this.fields);
	}

	/**
	 * Returns one member of a JSON object: a quoted name, a colon and the value.
	 * @param name the name of the member
	 * @param value the value of the member
	 * @return the member, such as {@code "requestsCutOff":0}
	 */
	static String member(String name, @Nullable Object value) {
		String object = JSON.writeToString(Collections.singletonMap(name, value));
		return object.substring(1, object.length() - 1);
	}

}
