package io.github.gracefulshutdown.report;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import org.junit.jupiter.api.Test;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link TerminationMessage}.
 */
class TerminationMessageTests {

	private static final JsonMapper strictJson = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final Drain drain = completedDrain();

	@Test
	void whenTheReportFitsThenItIsKeptWhole() {
		DrainReport report = report((d, figures) -> figures.put("requestsCutOff", 0L));

		assertThat(TerminationMessage.fit(report)).isEqualTo(report.toJson());
	}

	@Test
	void whenTheReportIsExactlyTheLimitThenItIsKeptWhole() {
		DrainReport report = reportOfLength(TerminationMessage.MAX_BYTES, "x");

		assertThat(bytes(report.toJson())).isEqualTo(TerminationMessage.MAX_BYTES);
		assertThat(TerminationMessage.fit(report)).isEqualTo(report.toJson());
	}

	@Test
	void whenTheReportIsOneByteOverTheLimitThenItIsTruncated() {
		DrainReport report = reportOfLength(TerminationMessage.MAX_BYTES + 1, "x");

		String fitted = TerminationMessage.fit(report);

		assertThat(bytes(fitted)).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
		assertThat(parse(fitted)).containsEntry("truncated", true)
			.containsKeys("trigger", "totalMillis", "requestsCutOff", "propagationLagMillis")
			.doesNotContainKey("details");
	}

	@Test
	void whenTheReportIsTooLongThenItKeepsTimesPhasesAndCountsAndMarksItTruncated() {
		DrainReport report = report((d, figures) -> {
			figures.put("requestsCutOff", 3L);
			figures.put("propagationLagMillis", 940L);
			figures.put("sessionIds", "session-0123456789abcdef,".repeat(200));
			figures.put("websocketSessionsFailed", 2L);
			figures.put("tasksCutOff", 1L);
		});

		String fitted = TerminationMessage.fit(report);

		assertThat(bytes(report.toJson())).isGreaterThan(TerminationMessage.MAX_BYTES);
		assertThat(bytes(fitted)).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
		assertThat(fitted).startsWith("{\"truncated\":true,\"trigger\":\"CONTEXT_CLOSE\",");
		assertThat(parse(fitted).keySet()).containsExactly("truncated", "trigger", "startedAt", "completedAt",
				"totalMillis", "propagationWindowMillis", "inFlightDrainMillis", "windowEndReason",
				"windowExtensionMillis", "requestsCutOff", "propagationLagMillis", "websocketSessionsFailed",
				"tasksCutOff");
	}

	@Test
	void whenLongFieldsDoNotAllFitThenThoseThatFitAreKeptInOrder() {
		DrainReport report = report((d, figures) -> {
			figures.put("first", "a".repeat(2500));
			figures.put("second", "b".repeat(2500));
			figures.put("third", "c".repeat(1000));
			figures.put("requestsCutOff", 0L);
		});

		String fitted = TerminationMessage.fit(report);

		assertThat(bytes(fitted)).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
		Map<String, Object> fields = parse(fitted);
		assertThat(fields.keySet()).containsSubsequence("truncated", "trigger", "first", "third", "requestsCutOff")
			.doesNotContain("second");
		assertThat(fields).containsEntry("first", "a".repeat(2500)).containsEntry("third", "c".repeat(1000));
	}

	@Test
	void whenTooManyFiguresThenTheFirstAreKeptAndFillTheMessage() {
		DrainReport report = report((d, figures) -> {
			figures.put("requestsCutOff", 0L);
			for (int i = 0; i < 400; i++) {
				figures.put("f%03d".formatted(i), 1234567L);
			}
		});
		int figureBytes = bytes(",\"f000\":1234567");

		String fitted = TerminationMessage.fit(report);

		assertThat(bytes(fitted)).isBetween(TerminationMessage.MAX_BYTES - figureBytes + 1,
				TerminationMessage.MAX_BYTES);
		Map<String, Object> fields = parse(fitted);
		assertThat(fields).containsKeys("truncated", "trigger", "totalMillis", "requestsCutOff", "f000", "f100")
			.doesNotContainKey("f399");
		assertThat(fields.keySet()).containsSubsequence("requestsCutOff", "f000", "f100");
	}

	@Test
	void whenMultiByteCharactersMakeTheReportTooLongThenItIsTruncated() {
		String euros = "€".repeat(2000);
		DrainReport report = report((d, figures) -> {
			figures.put("note", euros);
			figures.put("greeting", "Grüße 👋 東京");
		});

		String fitted = TerminationMessage.fit(report);

		assertThat(report.toJson()).hasSizeLessThan(TerminationMessage.MAX_BYTES);
		assertThat(bytes(fitted)).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
		assertThat(parse(fitted)).containsEntry("truncated", true)
			.containsEntry("greeting", "Grüße 👋 東京")
			.doesNotContainKey("note");
	}

	@Test
	void whenMultiByteCharactersMakeTheReportExactlyTheLimitThenItIsKeptWhole() {
		DrainReport report = reportOfLength(TerminationMessage.MAX_BYTES, "€");

		assertThat(bytes(report.toJson())).isEqualTo(TerminationMessage.MAX_BYTES);
		assertThat(TerminationMessage.fit(report)).isEqualTo(report.toJson());
	}

	@Test
	void whenMultiByteCharactersMakeTheReportOneByteTooLongThenItIsTruncated() {
		DrainReport report = reportOfLength(TerminationMessage.MAX_BYTES + 1, "€");

		String fitted = TerminationMessage.fit(report);

		assertThat(bytes(fitted)).isLessThanOrEqualTo(TerminationMessage.MAX_BYTES);
		assertThat(parse(fitted)).containsEntry("truncated", true)
			.containsKeys("requestsCutOff", "propagationLagMillis")
			.doesNotContainKey("details");
	}

	private DrainReport report(DrainReportContributor contributor) {
		return DrainReport.of(this.drain, List.of(contributor));
	}

	/**
	 * Builds a report of the given length in bytes, padded by a details field made of the
	 * given character and as many ASCII characters as needed to reach the length.
	 */
	private DrainReport reportOfLength(int length, String character) {
		int padding = length - bytes(reportWithDetails("").toJson());
		int characterBytes = bytes(character);
		return reportWithDetails(character.repeat(padding / characterBytes) + "x".repeat(padding % characterBytes));
	}

	private DrainReport reportWithDetails(String details) {
		return report((d, figures) -> {
			figures.put("details", details);
			figures.put("requestsCutOff", 0L);
			figures.put("propagationLagMillis", 940L);
		});
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> parse(String json) {
		return strictJson.readValue(json, Map.class);
	}

	private static int bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8).length;
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
