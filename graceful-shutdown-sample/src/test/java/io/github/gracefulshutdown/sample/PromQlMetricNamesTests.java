package io.github.gracefulshutdown.sample;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link PromQlMetricNames}.
 */
class PromQlMetricNamesTests {

	@Test
	void whenAnExpressionAggregatesAndComparesThenOnlyItsMetricNamesAreFound() {
		assertThat(PromQlMetricNames.of("""
				max by (pod) (max_over_time(lag_seconds{phase=~"a|b", pod=~"$pod"}[$__range]))
				  > 0.8 * (max_over_time(limit_seconds[15m]) > 0)
				  unless on (job, instance) (time() - push_time_seconds > 900)"""))
			.containsExactlyInAnyOrder("lag_seconds", "limit_seconds", "push_time_seconds");
	}

	@Test
	void whenAnExpressionUsesKeywordsNumbersAndSubqueriesThenNoneOfThemIsAMetricName() {
		assertThat(PromQlMetricNames.of("rate(a_total[5m:30s]) > bool 1 or on () vector(1e3) and b offset 1h"))
			.containsExactlyInAnyOrder("a_total", "b");
	}

}
