package io.github.gracefulshutdown.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Writes the report of every drain once, when it completes: as one INFO log line (the log
 * survives the pod, unlike metrics that may never be scraped again), and to the
 * container's termination message file when there is one, so that
 * {@code kubectl describe pod} shows it.
 */
public class DrainReportLogger implements DrainListener {

	private static final Log logger = LogFactory.getLog(DrainReportLogger.class);

	/**
	 * Kubernetes reads at most this many bytes of a termination message.
	 */
	private static final int TERMINATION_MESSAGE_LIMIT = 4096;

	private final Supplier<List<DrainReportContributor>> contributors;

	private final @Nullable Path terminationMessagePath;

	/**
	 * Creates a logger.
	 * @param contributors supplies the report contributors, in order
	 * @param terminationMessagePath the termination message file, written only if it
	 * exists and is writable; {@code null} never to write one
	 */
	public DrainReportLogger(Supplier<List<DrainReportContributor>> contributors,
			@Nullable Path terminationMessagePath) {
		this.contributors = contributors;
		this.terminationMessagePath = terminationMessagePath;
	}

	@Override
	public void drainCompleted(Drain drain) {
		String json = DrainReport.of(drain, this.contributors.get()).toJson();
		logger.info("Drain report: " + json);
		writeTerminationMessage(json);
	}

	private void writeTerminationMessage(String json) {
		Path path = this.terminationMessagePath;
		if (path == null || !Files.isRegularFile(path) || !Files.isWritable(path)) {
			return;
		}
		byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
		if (bytes.length > TERMINATION_MESSAGE_LIMIT) {
			logger.debug("Drain report longer than a termination message may be; not written to " + path);
			return;
		}
		try {
			Files.write(path, bytes);
		}
		catch (IOException ex) {
			logger.warn("Could not write the drain report to " + path, ex);
		}
	}

}
