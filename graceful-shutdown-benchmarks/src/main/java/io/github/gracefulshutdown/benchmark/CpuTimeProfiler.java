package io.github.gracefulshutdown.benchmark;

import java.lang.management.ManagementFactory;
import java.util.Collection;
import java.util.List;

import com.sun.management.OperatingSystemMXBean;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.IterationParams;
import org.openjdk.jmh.profile.InternalProfiler;
import org.openjdk.jmh.results.AggregationPolicy;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.ScalarResult;

/**
 * Reports the CPU time the benchmark's JVM spent per operation, garbage collection and
 * compilation included:
 * {@code -prof io.github.gracefulshutdown.benchmark.CpuTimeProfiler}. On a machine shared
 * with other work, the time per operation grows with the time the benchmark waits for a
 * CPU; the CPU time it used does much less so. It is no substitute for a quiet machine:
 * caches and cores shared with other work still slow it down.
 */
public class CpuTimeProfiler implements InternalProfiler {

	private final OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

	private long startNanos;

	@Override
	public String getDescription() {
		return "CPU time of the JVM per operation";
	}

	@Override
	public void beforeIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams) {
		this.startNanos = this.os.getProcessCpuTime();
	}

	@Override
	public Collection<? extends Result> afterIteration(BenchmarkParams benchmarkParams, IterationParams iterationParams,
			IterationResult result) {
		long cpuNanos = this.os.getProcessCpuTime() - this.startNanos;
		long operations = result.getMetadata().getAllOps();
		double perOperation = (operations > 0) ? (double) cpuNanos / operations : Double.NaN;
		return List.of(new ScalarResult("cpu.time.norm", perOperation, "ns/op", AggregationPolicy.AVG));
	}

}
