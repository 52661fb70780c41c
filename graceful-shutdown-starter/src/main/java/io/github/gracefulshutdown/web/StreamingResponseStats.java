package io.github.gracefulshutdown.web;

import java.util.Map;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.report.DrainReportContributor;
import org.jspecify.annotations.Nullable;

/**
 * What a web stack's server-sent event streams, the streaming responses the drain ends,
 * look like to the drain's meters and report.
 */
public interface StreamingResponseStats extends DrainReportContributor {

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

	@Override
	default void contribute(@Nullable Drain drain, Map<String, @Nullable Object> figures) {
		figures.put("streamsOpen", getOpen());
		figures.put("streamsCompletedByDrain", getCompletedByDrain());
	}

}
