package io.github.gracefulshutdown.report;

import java.io.IOException;
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

/**
 * Tests for {@link DrainReportLogger}.
 */
@ExtendWith(OutputCaptureExtension.class)
class DrainReportLoggerTests {

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
	}

	@Test
	void whenTheTerminationMessageFileIsAbsentThenOnlyLogs(CapturedOutput output) {
		Path absent = this.directory.resolve("absent");
		drainWith(new DrainReportLogger(List::of, absent));

		assertThat(output).contains("Drain report: {\"trigger\":\"APPLICATION\"");
		assertThat(absent).doesNotExist();
	}

	private static void drainWith(DrainReportLogger logger) {
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO),
				() -> List.of(logger), Clock.systemUTC());
		coordinator.startDrain(DrainTrigger.APPLICATION);
		coordinator.completeDrain();
		coordinator.completeDrain();
	}

}
