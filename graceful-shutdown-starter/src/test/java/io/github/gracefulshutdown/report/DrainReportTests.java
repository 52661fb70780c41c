package io.github.gracefulshutdown.report;

import java.time.Clock;
import java.time.Duration;
import java.util.List;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DrainReport}.
 */
class DrainReportTests {

	@Test
	void reportsTriggerPhasesAndContributedFiguresInOrder() {
		Drain drain = completedDrain();
		DrainReportContributor first = (d, figures) -> figures.put("requestsCutOff", 2L);
		DrainReportContributor second = (d, figures) -> figures.put("note", "a \"quoted\"\nline");

		DrainReport report = DrainReport.of(drain, List.of(first, second));

		assertThat(report.fields()).containsKeys("trigger", "startedAt", "completedAt", "totalMillis",
				"propagationWindowMillis", "inFlightDrainMillis", "windowEndReason", "windowExtensionMillis",
				"requestsCutOff", "note");
		assertThat(report.fields().keySet()).containsSubsequence("trigger", "totalMillis", "propagationWindowMillis",
				"inFlightDrainMillis", "windowEndReason", "windowExtensionMillis", "requestsCutOff", "note");
		assertThat(report.fields()).containsEntry("windowEndReason", "FIXED")
			.containsEntry("windowExtensionMillis", 0L);
		assertThat(report.toJson()).startsWith("{\"trigger\":\"CONTEXT_CLOSE\",\"startedAt\":\"")
			.contains("\"requestsCutOff\":2,")
			.endsWith("\"note\":\"a \\\"quoted\\\"\\nline\"}");
	}

	@Test
	void nullFiguresAreWrittenAsJsonNull() {
		DrainReport report = DrainReport.of(completedDrain(), List.of((d, figures) -> figures.put("lag", null)));

		assertThat(report.toJson()).endsWith("\"lag\":null}");
	}

	@Test
	void phaseKeysAreCamelCase() {
		assertThat(DrainReport.key(DrainPhase.PROPAGATION_WINDOW)).isEqualTo("propagationWindow");
		assertThat(DrainReport.key(DrainPhase.IN_FLIGHT_DRAIN)).isEqualTo("inFlightDrain");
	}

	private static Drain completedDrain() {
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of,
				Clock.systemUTC());
		Drain drain = coordinator.startDrain(DrainTrigger.CONTEXT_CLOSE);
		coordinator.beginPhase(DrainPhase.IN_FLIGHT_DRAIN);
		coordinator.completeDrain();
		return drain;
	}

}
