package io.github.gracefulshutdown.task;

import java.lang.reflect.Field;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.Phased;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.core.task.TaskDecorator;
import org.springframework.scheduling.concurrent.SimpleAsyncTaskScheduler;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.CustomizableThreadCreator;
import org.springframework.util.ReflectionUtils;

/**
 * Makes the tasks of the application's executor beans count as long-running tasks,
 * without code changes: every {@link ThreadPoolTaskExecutor},
 * {@link ThreadPoolTaskScheduler} and {@link SimpleAsyncTaskExecutor} bean (which
 * includes Spring Boot's {@code applicationTaskExecutor} behind {@code @Async}, its
 * {@code taskScheduler} behind {@code @Scheduled}, and {@code SimpleAsyncTaskScheduler}),
 * in one of two ways:
 * <ul>
 * <li>an executor that Spring Boot's builders built (see {@link BuilderBuiltExecutors})
 * carries the {@link SharedTaskRegisteringDecorator}, which Spring Boot composes with the
 * application's {@code TaskDecorator} beans; it is left as it is. A decorator that the
 * application sets on the builder ({@code taskDecorator(...)}) or on the executor
 * replaces Spring Boot's composition, and the starter's with it: such an executor is not
 * covered, which only reading its field again would reveal;</li>
 * <li>any other executor, one the application built itself, gets a
 * {@link TaskRegisteringDecorator} named after it, around the decorator it already had.
 * Spring offers no getter for an executor's decorator, so that one is read from the
 * executor's field; an executor whose decorator cannot be read is left alone, and
 * logged.</li>
 * </ul>
 * Tasks waiting in a covered {@code ThreadPoolTaskExecutor}'s queue count as queued, so
 * that the drain waits for them too: the executor keeps running through the drain and
 * starts them as its threads free up. Tasks on their way to a thread (handed over to a
 * thread pool or to a new thread, not started yet) are waited for as well.
 * <p>
 * A {@code SimpleAsyncTaskScheduler} (Spring Boot's scheduler with virtual threads) runs
 * its fixed-delay tasks on its own thread, past the decorator:
 * {@link FixedDelayTaskCoverage} covers those that Spring's scheduling registers, and a
 * warning at startup names the ones nothing covers.
 */
class ExecutorTaskCoverage implements BeanPostProcessor {

	private static final Log logger = LogFactory.getLog(ExecutorTaskCoverage.class);

	static final String DECORATOR_FIELD = "taskDecorator";

	private static final String VIRTUAL_THREADS_PROPERTY = "spring.threads.virtual.enabled";

	private final ObjectProvider<LongRunningTasks> tasks;

	private final Map<String, Object> covered = new ConcurrentHashMap<>();

	private final TaskHandOvers handOvers = new TaskHandOvers();

	private final BuilderBuiltExecutors builderBuiltExecutors = new BuilderBuiltExecutors();

	private final ExecutorThreadNames threadNames = new ExecutorThreadNames();

	ExecutorTaskCoverage(ObjectProvider<LongRunningTasks> tasks) {
		this.tasks = tasks;
	}

	/**
	 * Returns the customizer of Spring Boot's executor builders that tells this
	 * post-processor which executors they built.
	 * @return the customizer
	 */
	BuilderBuiltExecutors builderBuiltExecutors() {
		return this.builderBuiltExecutors;
	}

	/**
	 * Creates the task decorator for Spring Boot to compose into the executors its
	 * builders build.
	 * @param tasks the registry
	 * @return the decorator
	 */
	SharedTaskRegisteringDecorator sharedDecorator(LongRunningTasks tasks) {
		return new SharedTaskRegisteringDecorator(tasks, this.threadNames, this.handOvers);
	}

	/**
	 * Covers an executor bean, or the executor behind a proxy of one (an aspect's, say),
	 * whose fields the proxy does not share. The executor behind a scoped proxy is a bean
	 * of its own, covered as such.
	 */
	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		Object executor = AopUtils.isAopProxy(bean) ? AopProxyUtils.getSingletonTarget(bean) : bean;
		if (!(executor instanceof ThreadPoolTaskExecutor || executor instanceof ThreadPoolTaskScheduler
				|| executor instanceof SimpleAsyncTaskExecutor)) {
			return bean;
		}
		boolean nowCovered = this.builderBuiltExecutors.claim(executor) ? coverByComposition(executor, beanName)
				: coverByWrapping(executor, beanName);
		if (nowCovered && executor instanceof SimpleAsyncTaskScheduler) {
			logger.warn("Fixed-delay tasks that application code schedules on SimpleAsyncTaskScheduler '" + beanName
					+ "' itself (scheduleWithFixedDelay) are neither counted nor awaited during the drain: the "
					+ "scheduler runs them on its own thread, past its task decorator. Spring Boot builds this "
					+ "scheduler when " + VIRTUAL_THREADS_PROPERTY + " is true. @Scheduled fixed-delay methods and "
					+ "the scheduler's other tasks are awaited; register such work with LongRunningTasks, or "
					+ "schedule it at a fixed rate.");
		}
		return bean;
	}

	/**
	 * Returns the names of the executor beans whose tasks count as long-running tasks.
	 * @return the covered executors
	 */
	Set<String> coveredExecutors() {
		return new TreeSet<>(this.covered.keySet());
	}

	/**
	 * Returns the number of tasks waiting in the queues of covered thread pools.
	 * @return the queued tasks
	 */
	int queuedTasks() {
		int queued = 0;
		for (Object executor : this.covered.values()) {
			if (executor instanceof ThreadPoolTaskExecutor threadPool) {
				queued += threadPool.getQueueSize();
			}
		}
		return queued;
	}

	/**
	 * Returns whether a task handed over to a covered executor lately has not started to
	 * run yet.
	 * @return {@code true} while a task may be on its way to its thread
	 */
	boolean handingOver() {
		return this.handOvers.inProgress();
	}

	/**
	 * Returns the lifecycle phases in which covered executors stop. Spring stops each
	 * executor in its lifecycle phase and waits there, up to the phase's timeout, for the
	 * tasks it is running; that phase is shared with every other executor, covered or
	 * not. A {@code SimpleAsyncTaskScheduler} waits there only for its fixed-delay runs.
	 * @return the phases
	 */
	Set<Integer> stopPhases() {
		Set<Integer> phases = new TreeSet<>();
		for (Object executor : this.covered.values()) {
			if (executor instanceof Phased phased) {
				phases.add(phased.getPhase());
			}
		}
		return phases;
	}

	/**
	 * Covers an executor whose task decorator holds the shared decorator.
	 * @return {@code true}
	 */
	private boolean coverByComposition(Object executor, String beanName) {
		this.covered.put(beanName, executor);
		Set<String> sharingThreadNames = this.threadNames.add((CustomizableThreadCreator) executor, beanName);
		if (sharingThreadNames.size() > 1) {
			logger.info("Tasks of executors " + sharingThreadNames + " carry the names of all of them: their threads "
					+ "share the name prefix '" + ((CustomizableThreadCreator) executor).getThreadNamePrefix()
					+ "'. Give each its own prefix to tell their tasks apart.");
		}
		logger.debug("Tasks of executor '" + beanName
				+ "' count as long-running tasks, through Spring Boot's composition of task decorators");
		return true;
	}

	/**
	 * Covers an executor with a decorator around its own, unless its decorator cannot be
	 * read or it is covered already.
	 * @return whether the executor was covered now
	 */
	private boolean coverByWrapping(Object executor, String beanName) {
		TaskDecorator existing;
		try {
			existing = existingDecorator(executor);
		}
		catch (RuntimeException ex) {
			logger.info("Tasks of executor '" + beanName + "' are not awaited during the drain: its task decorator "
					+ "cannot be read (" + ex + ")");
			return false;
		}
		if (existing instanceof TaskRegisteringDecorator) {
			return false;
		}
		if (existing instanceof SharedTaskRegisteringDecorator) {
			return coverByComposition(executor, beanName);
		}
		TaskHandOvers handOvers = (executor instanceof ThreadPoolTaskScheduler) ? null : this.handOvers;
		setTaskDecorator(executor, new TaskRegisteringDecorator(this.tasks.getObject(), beanName, existing, handOvers));
		this.covered.put(beanName, executor);
		logger.debug("Tasks of executor '" + beanName + "' count as long-running tasks, through a decorator around "
				+ "its own: Spring Boot's builders did not build it");
		return true;
	}

	private static @Nullable TaskDecorator existingDecorator(Object executor) {
		Field field = ReflectionUtils.findField(executor.getClass(), DECORATOR_FIELD, TaskDecorator.class);
		if (field == null) {
			throw new IllegalStateException("no field '" + DECORATOR_FIELD + "' in " + executor.getClass().getName());
		}
		ReflectionUtils.makeAccessible(field);
		return (TaskDecorator) ReflectionUtils.getField(field, executor);
	}

	private static void setTaskDecorator(Object executor, TaskDecorator decorator) {
		if (executor instanceof ThreadPoolTaskExecutor threadPool) {
			threadPool.setTaskDecorator(decorator);
		}
		else if (executor instanceof ThreadPoolTaskScheduler scheduler) {
			scheduler.setTaskDecorator(decorator);
		}
		else if (executor instanceof SimpleAsyncTaskExecutor simple) {
			simple.setTaskDecorator(decorator);
		}
	}

}
