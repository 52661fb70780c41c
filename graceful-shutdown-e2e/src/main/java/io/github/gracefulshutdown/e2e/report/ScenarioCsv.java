package io.github.gracefulshutdown.e2e.report;

import java.util.List;
import java.util.Locale;

import io.github.gracefulshutdown.e2e.cluster.TimelineEvent;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.github.gracefulshutdown.e2e.scenario.ScenarioResult;
import org.jspecify.annotations.Nullable;

/**
 * The raw records of a scenario as CSV, for a closer look than the table and the chart
 * give: every request and every event, with times in milliseconds since the load started.
 */
public final class ScenarioCsv {

	private ScenarioCsv() {
	}

	/**
	 * Returns one line per request: when it was sent and ended, its outcome, status,
	 * instance and failure detail.
	 * @param result the scenario's result
	 * @return the CSV with a header line
	 */
	public static String requests(ScenarioResult result) {
		return records(result, result.requests());
	}

	/**
	 * Returns one line per long-lived stream, in the columns of
	 * {@link #requests(ScenarioResult)}: when it was opened and ended, how it ended, and
	 * which ticks it carried.
	 * @param result the scenario's result
	 * @return the CSV with a header line
	 */
	public static String streams(ScenarioResult result) {
		return records(result, result.streams());
	}

	private static String records(ScenarioResult result, List<RequestRecord> records) {
		StringBuilder csv = new StringBuilder("start_ms,end_ms,outcome,status,instance,detail\n");
		for (RequestRecord request : records) {
			csv.append(millis(result, request.startNanos()))
				.append(',')
				.append(millis(result, request.endNanos()))
				.append(',')
				.append(request.outcome())
				.append(',')
				.append(request.status())
				.append(',')
				.append(field(request.instance()))
				.append(',')
				.append(field(request.detail()))
				.append('\n');
		}
		return csv.toString();
	}

	/**
	 * Returns one line per event of the rolling restart.
	 * @param result the scenario's result
	 * @return the CSV with a header line
	 */
	public static String events(ScenarioResult result) {
		StringBuilder csv = new StringBuilder("at_ms,pod,event\n");
		for (TimelineEvent event : result.events()) {
			csv.append(millis(result, event.atNanos()))
				.append(',')
				.append(event.pod())
				.append(',')
				.append(event.kind())
				.append('\n');
		}
		return csv.toString();
	}

	private static String millis(ScenarioResult result, long nanos) {
		return String.format(Locale.ROOT, "%.1f", (nanos - result.originNanos()) / 1_000_000.0);
	}

	private static String field(@Nullable String value) {
		if (value == null) {
			return "";
		}
		return "\"" + value.replace("\"", "\"\"") + "\"";
	}

}
