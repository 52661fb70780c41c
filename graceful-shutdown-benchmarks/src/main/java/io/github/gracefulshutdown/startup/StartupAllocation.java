package io.github.gracefulshutdown.startup;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;

import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts {@link StartupApplication} on this thread and prints what the thread allocated
 * until the application was started, and the classes loaded by then: counts that do not
 * depend on the load of the machine, unlike times and peak memory. Run by
 * {@code startup-allocation.sh} with the JIT compiler limited to C1, so that escape
 * analysis does not remove allocations depending on when methods were compiled.
 */
public final class StartupAllocation {

	private StartupAllocation() {
	}

	public static void main(String[] args) {
		ThreadMXBean thread = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = thread.getCurrentThreadAllocatedBytes();
		ConfigurableApplicationContext context = SpringApplication.run(StartupApplication.class, args);
		long allocated = thread.getCurrentThreadAllocatedBytes() - before;
		long classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
		System.out.println("allocated_bytes " + allocated + " classes " + classes);
		System.exit(SpringApplication.exit(context));
	}

}
