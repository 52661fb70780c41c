package io.github.gracefulshutdown.startup;

import java.lang.management.ManagementFactory;

import com.sun.management.ThreadMXBean;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.SpringApplication;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts {@link StartupApplication} on this thread and prints what the thread allocated
 * until the application was started, the classes loaded by then and the beans of the
 * starter: counts that do not depend on the load of the machine, unlike times and peak
 * memory. Run by {@code startup-allocation.sh} with the JIT compiler limited to C1, so
 * that escape analysis does not remove allocations depending on when methods were
 * compiled. Runs ahead-of-time processed too, when {@code spring.aot.enabled} is set.
 */
public final class StartupAllocation {

	private StartupAllocation() {
	}

	public static void main(String[] args) {
		ThreadMXBean thread = (ThreadMXBean) ManagementFactory.getThreadMXBean();
		long before = thread.getCurrentThreadAllocatedBytes();
		SpringApplication application = new SpringApplication(StartupApplication.class);
		// The name of the ahead-of-time initializer, when there is one, derives from it
		application.setMainApplicationClass(StartupApplication.class);
		ConfigurableApplicationContext context = application.run(args);
		long allocated = thread.getCurrentThreadAllocatedBytes() - before;
		long classes = ManagementFactory.getClassLoadingMXBean().getLoadedClassCount();
		System.out.println("allocated_bytes " + allocated + " classes " + classes + " starter_beans "
				+ starterBeans(context.getBeanFactory()));
		System.exit(SpringApplication.exit(context));
	}

	/**
	 * Counts the beans the starter defines: those of its types, and those its
	 * configuration classes declare, such as its filter's registration.
	 */
	private static long starterBeans(ConfigurableListableBeanFactory beanFactory) {
		long count = 0;
		for (String name : beanFactory.getBeanDefinitionNames()) {
			Class<?> type = beanFactory.getType(name, false);
			BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
			if (isStarters((type != null) ? type.getName() : "") || isStarters(definition.getResourceDescription())) {
				count++;
			}
		}
		return count;
	}

	private static boolean isStarters(@Nullable String name) {
		String normalized = (name != null) ? name.replace('/', '.') : "";
		return normalized.contains("io.github.gracefulshutdown.") && !normalized.contains(".startup.");
	}

}
