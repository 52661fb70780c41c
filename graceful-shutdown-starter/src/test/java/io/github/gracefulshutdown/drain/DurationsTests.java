package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.format.annotation.DurationFormat;
import org.springframework.format.datetime.standard.DurationFormatterUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Durations}.
 */
class DurationsTests {

	@ParameterizedTest
	@ValueSource(strings = { "0s", "750ms", "1s", "1s500ms", "10s", "2m30s", "1h", "1h0m0s1ms", "25h", "3d4h5m6s7ms",
			"-5s", "-1s250ms", "1500us", "999us", "-1500us", "2s999999ns" })
	void formatsLikeSpringsCompositeStyleToTheMillisecond(String text) {
		Duration duration = DurationFormatterUtils.parse(text, DurationFormat.Style.COMPOSITE);
		String spring = DurationFormatterUtils.print(duration.truncatedTo(ChronoUnit.MILLIS),
				DurationFormat.Style.COMPOSITE);
		assertThat(Durations.format(duration)).isEqualTo(spring);
	}

	@ParameterizedTest
	@ValueSource(strings = { "30s", "1m", "2m30s", "750ms", "1d2h" })
	void printsWhatItReadsBack(String text) {
		assertThat(Durations.format(DurationFormatterUtils.parse(text, DurationFormat.Style.COMPOSITE)))
			.isEqualTo(text);
	}

}
