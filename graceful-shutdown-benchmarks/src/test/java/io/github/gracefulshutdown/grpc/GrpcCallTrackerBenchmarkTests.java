package io.github.gracefulshutdown.grpc;

import java.util.Collection;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs {@link GrpcCallTrackerBenchmark} for a moment, in this JVM, so that the build
 * notices when the benchmark no longer runs. Its numbers mean nothing.
 */
class GrpcCallTrackerBenchmarkTests {

	@Test
	void theBenchmarkRuns() throws RunnerException {
		Collection<RunResult> results = new Runner(
				new OptionsBuilder().include(GrpcCallTrackerBenchmark.class.getName())
					.forks(0)
					.warmupIterations(0)
					.measurementIterations(1)
					.measurementTime(TimeValue.milliseconds(100))
					.shouldFailOnError(true)
					.build())
			.run();

		assertThat(results).hasSize(3)
			.allSatisfy((result) -> assertThat(result.getPrimaryResult().getScore()).isPositive());
	}

}
