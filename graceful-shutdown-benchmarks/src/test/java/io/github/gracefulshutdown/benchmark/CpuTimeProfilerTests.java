package io.github.gracefulshutdown.benchmark;

import java.util.Collection;

import io.github.gracefulshutdown.web.servlet.DrainRequestFilterBenchmark;
import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CpuTimeProfiler}.
 */
class CpuTimeProfilerTests {

	@Test
	void whenABenchmarkRunsThenItsCpuTimePerOperationIsReported() throws RunnerException {
		Collection<RunResult> results = new Runner(
				new OptionsBuilder().include(DrainRequestFilterBenchmark.class.getName() + ".withoutFilter")
					.addProfiler(CpuTimeProfiler.class)
					.forks(0)
					.warmupIterations(0)
					.measurementIterations(1)
					.measurementTime(TimeValue.milliseconds(200))
					.shouldFailOnError(true)
					.build())
			.run();

		assertThat(results).singleElement()
			.satisfies(
					(result) -> assertThat(result.getSecondaryResults().get("cpu.time.norm").getScore()).isPositive());
	}

}
