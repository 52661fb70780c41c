package io.github.gracefulshutdown.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Tests for {@link DrainReportLogger}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainReportLoggerTests {

	private static final String ADVICE = "Set graceful-shutdown.termination-message-path to the terminationMessagePath";

	@TempDir
	Path directory;

	@Test
	void logsTheReportOnceAndWritesItToAnExistingTerminationMessageFile(CapturedOutput output) throws IOException {
		Path terminationLog = Files.createFile(this.directory.resolve("termination-log"));
		drainWith(new DrainReportLogger(() -> List.of((drain, figures) -> figures.put("requestsCutOff", 0L)),
				terminationLog));

		assertThat(output.getOut().lines().filter((line) -> line.contains("Drain report: {"))).hasSize(1);
		assertThat(Files.readString(terminationLog)).startsWith("{\"trigger\":\"APPLICATION\"")
			.endsWith("\"requestsCutOff\":0}");
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void whenAContributorFailsThenTheReportIsWrittenWithTheOthersFigures(CapturedOutput output) throws IOException {
		Path terminationLog = Files.createFile(this.directory.resolve("termination-log"));
		DrainReportContributor failing = (drain, figures) -> {
			figures.put("halfWritten", 1L);
			throw new NoClassDefFoundError("broken contributor");
		};
		drainWith(new DrainReportLogger(() -> List.of(failing, (drain, figures) -> figures.put("requestsCutOff", 0L)),
				terminationLog));

		assertThat(output).contains("broken contributor").contains("its figures are left out");
		assertThat(output.getOut().lines().filter((line) -> line.contains("Drain report: {"))).hasSize(1);
		assertThat(Files.readString(terminationLog)).endsWith("\"requestsCutOff\":0}").doesNotContain("halfWritten");
	}

	@Test
	void whenTheReportIsOverTheLimitThenWritesWhatFitsAndWarnsOnce(CapturedOutput output) throws IOException {
		Path terminationLog = Files.createFile(this.directory.resolve("termination-log"));
		String sessions = "sessión-ß€👋,".repeat(250);
		DrainReportLogger logger = new DrainReportLogger(() -> List.of((drain, figures) -> {
			figures.put("sessions", sessions);
			figures.put("requestsCutOff", 2L);
		}), terminationLog);

		drainWith(logger);
		drainWith(logger);

		byte[] written = Files.readAllBytes(terminationLog);
		assertThat(written).hasSizeLessThanOrEqualTo(4096);
		assertThat(new String(written, StandardCharsets.UTF_8))
			.startsWith("{\"truncated\":true,\"trigger\":\"APPLICATION\"")
			.endsWith("\"requestsCutOff\":2}")
			.doesNotContain("sessions");
		assertThat(output.getOut().lines().filter((line) -> line.contains("Drain report: {"))).hasSize(2)
			.allSatisfy((line) -> assertThat(line).contains("\"sessions\":\"" + sessions + "\""));
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.satisfies((line) -> assertThat(line).contains("more than the 4096 bytes")
				.contains("\"truncated\":true")
				.contains(terminationLog.toString()));
	}

	@Test
	void whenTheTerminationMessagePathIsADirectoryThenWarnsOnceAndStillLogs(CapturedOutput output) {
		DrainReportLogger logger = new DrainReportLogger(List::of, this.directory);

		drainWith(logger);
		drainWith(logger);

		assertThat(output.getOut().lines().filter((line) -> line.contains("Drain report: {"))).hasSize(2);
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.satisfies((line) -> assertThat(line).contains(this.directory + ": it is a directory").contains(ADVICE));
	}

	@Test
	void whenTheTerminationMessageFileIsReadOnlyThenWarnsOnce(CapturedOutput output) throws IOException {
		Path terminationLog = Files.createFile(this.directory.resolve("termination-log"));
		assumeThat(terminationLog.toFile().setWritable(false, false)).isTrue();
		assumeThat(Files.isWritable(terminationLog)).as("not writable (as a user without root's privileges)").isFalse();
		DrainReportLogger logger = new DrainReportLogger(List::of, terminationLog);

		drainWith(logger);
		drainWith(logger);

		assertThat(terminationLog).isEmptyFile();
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.satisfies((line) -> assertThat(line).contains(terminationLog + ": it is not writable").contains(ADVICE));
	}

	@Test
	void whenWritingTheTerminationMessageFailsThenWarnsOnce(CapturedOutput output) {
		Path full = Path.of("/dev/full");
		assumeThat(full).as("a device that fails every write").exists();
		DrainReportLogger logger = new DrainReportLogger(List::of, full);

		drainWith(logger);
		drainWith(logger);

		assertThat(output.getOut().lines().filter((line) -> line.contains("Drain report: {"))).hasSize(2);
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.satisfies((line) -> assertThat(line).contains("/dev/full: writing it failed (").contains(ADVICE));
	}

	@Test
	void whenAConfiguredTerminationMessageFileIsAbsentThenWarnsOnce(CapturedOutput output) {
		Path absent = this.directory.resolve("absent");
		DrainReportLogger logger = new DrainReportLogger(List::of, absent);

		drainWith(logger);
		drainWith(logger);

		assertThat(absent).doesNotExist();
		assertThat(output.getOut().lines().filter((line) -> line.contains("WARN"))).singleElement()
			.satisfies((line) -> assertThat(line).contains(absent + ": it does not exist").contains(ADVICE));
	}

	@Test
	void whenAnOptionalTerminationMessageFileIsAbsentThenOnlyLogs(CapturedOutput output) {
		Path absent = this.directory.resolve("absent");
		drainWith(new DrainReportLogger(List::of, absent, false));

		assertThat(output).contains("Drain report: {\"trigger\":\"APPLICATION\"").doesNotContain("WARN");
		assertThat(absent).doesNotExist();
	}

	@Test
	void whenTheTerminationMessagePathIsKubernetesDefaultThenItsAbsenceIsNoProblem() {
		assertThat(new DrainReportLogger(List::of, Path.of("/dev/termination-log"))).extracting("warnIfAbsent")
			.isEqualTo(false);
		assertThat(new DrainReportLogger(List::of, Path.of("/var/log/termination-log"))).extracting("warnIfAbsent")
			.isEqualTo(true);
	}

	private static void drainWith(DrainReportLogger logger) {
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO),
				() -> List.of(logger), Clock.systemUTC());
		coordinator.startDrain(DrainTrigger.APPLICATION);
		coordinator.completeDrain();
		coordinator.completeDrain();
	}

}
