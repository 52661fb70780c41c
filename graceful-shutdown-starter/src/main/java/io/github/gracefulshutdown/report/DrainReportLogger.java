package io.github.gracefulshutdown.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import org.springframework.util.ClassUtils;

/**
 * Writes the report of every drain once, when it completes: as one INFO log line (the log
 * survives the pod, unlike metrics that may never be scraped again), whose fields are
 * also key-value pairs of the event, named {@code drain.<field>}, where SLF4J is present,
 * so that Spring Boot's structured logging (ECS, Logstash, GELF) keeps them as fields;
 * and to the container's termination message file when there is one, so that
 * {@code kubectl describe pod} shows it. A file that cannot be written is warned about
 * once and never fails the shutdown.
 */
public class DrainReportLogger implements DrainListener {

	private static final Log logger = LogFactory.getLog(DrainReportLogger.class);

	private static final boolean KEY_VALUES_SUPPORTED = ClassUtils.isPresent("org.slf4j.spi.LoggingEventBuilder",
			DrainReportLogger.class.getClassLoader());

	/**
	 * Where Kubernetes mounts the termination message file unless the pod spec says
	 * otherwise. Off Kubernetes it is absent, which is no mistake.
	 */
	private static final Path KUBERNETES_TERMINATION_MESSAGE_PATH = Path.of("/dev/termination-log");

	private static final String ADVICE = "Set graceful-shutdown.termination-message-path to the "
			+ "terminationMessagePath of the container in the pod spec (/dev/termination-log unless it sets "
			+ "another), or to an empty value not to write the report there.";

	private final Supplier<List<DrainReportContributor>> contributors;

	private final @Nullable Path terminationMessagePath;

	private final boolean warnIfAbsent;

	private final AtomicBoolean fileProblemReported = new AtomicBoolean();

	private final AtomicBoolean truncationReported = new AtomicBoolean();

	/**
	 * Creates a logger.
	 * @param contributors supplies the report contributors, in order
	 * @param terminationMessagePath the termination message file, written if it exists;
	 * {@code null} never to write one. Any problem with it is logged as a warning, except
	 * the absence of Kubernetes' default {@code /dev/termination-log}, which only exists
	 * in a container of a pod
	 */
	public DrainReportLogger(Supplier<List<DrainReportContributor>> contributors,
			@Nullable Path terminationMessagePath) {
		this(contributors, terminationMessagePath, !KUBERNETES_TERMINATION_MESSAGE_PATH.equals(terminationMessagePath));
	}

	/**
	 * Creates a logger.
	 * @param contributors supplies the report contributors, in order
	 * @param terminationMessagePath the termination message file, written if it exists;
	 * {@code null} never to write one
	 * @param warnIfAbsent whether the absence of the file is a mistake worth a warning
	 */
	DrainReportLogger(Supplier<List<DrainReportContributor>> contributors, @Nullable Path terminationMessagePath,
			boolean warnIfAbsent) {
		this.contributors = contributors;
		this.terminationMessagePath = terminationMessagePath;
		this.warnIfAbsent = warnIfAbsent;
	}

	@Override
	public void drainCompleted(Drain drain) {
		DrainReport report = DrainReport.of(drain, this.contributors.get());
		String json = report.toJson();
		if (KEY_VALUES_SUPPORTED) {
			KeyValueLog.info(report, "Drain report: " + json);
		}
		else {
			logger.info("Drain report: " + json);
		}
		if (this.terminationMessagePath != null) {
			writeTerminationMessage(this.terminationMessagePath, report, json);
		}
	}

	private void writeTerminationMessage(Path path, DrainReport report, String json) {
		if (!Files.exists(path)) {
			if (this.warnIfAbsent) {
				reportFileProblem(path, "it does not exist");
			}
			else {
				logger.debug("No termination message file " + path + "; the drain report is only logged");
			}
			return;
		}
		if (Files.isDirectory(path)) {
			reportFileProblem(path, "it is a directory");
			return;
		}
		if (!Files.isWritable(path)) {
			reportFileProblem(path, "it is not writable");
			return;
		}
		try {
			Files.write(path, TerminationMessage.fit(report).getBytes(StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			reportFileProblem(path, "writing it failed (" + ex + ")");
			return;
		}
		int length = json.getBytes(StandardCharsets.UTF_8).length;
		if (length > TerminationMessage.MAX_BYTES && this.truncationReported.compareAndSet(false, true)) {
			logger.warn("The drain report is " + length + " bytes long, more than the " + TerminationMessage.MAX_BYTES
					+ " bytes Kubernetes keeps of a termination message: wrote the fields that fit, short ones first,"
					+ " marked \"truncated\":true, to " + path + "; the log line above has the whole report.");
		}
	}

	private void reportFileProblem(Path path, String problem) {
		if (this.fileProblemReported.compareAndSet(false, true)) {
			logger.warn("The drain report was not written to the termination message file " + path + ": " + problem
					+ ". " + ADVICE);
		}
	}

	/**
	 * Logs through SLF4J's fluent API, which carries key-value pairs; loaded only when
	 * SLF4J is present.
	 */
	private static final class KeyValueLog {

		private static final Logger slf4jLogger = LoggerFactory.getLogger(DrainReportLogger.class);

		static void info(DrainReport report, String message) {
			if (slf4jLogger.isInfoEnabled()) {
				LoggingEventBuilder event = slf4jLogger.atInfo();
				report.fields().forEach((name, value) -> event.addKeyValue("drain." + name, value));
				event.log(message);
			}
		}

	}

}
