package io.github.gracefulshutdown.task;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;

import org.springframework.util.CustomizableThreadCreator;

/**
 * Tells which executor bean a thread belongs to, from the thread's name: Spring's
 * executors and schedulers name each thread they start with their thread name prefix and
 * a number ({@code task-1}, {@code scheduling-3}), virtual threads included. A task
 * decorator that Spring Boot composes is shared by every executor its builders build and
 * is not told which one calls it; the thread that runs the task tells.
 * <p>
 * Executors that share a prefix cannot be told apart: their tasks carry all their names.
 * A thread whose name matches no prefix (one started by a thread factory of the
 * application's, or renamed by a task) lends its own name.
 */
final class ExecutorThreadNames {

	private final Map<String, SortedSet<String>> executorsByPrefix = new HashMap<>();

	private volatile Map<String, String> namesByPrefix = Map.of();

	/**
	 * Adds an executor.
	 * @param executor the executor, which names its threads
	 * @param executorName the bean name of the executor
	 * @return the names of the executors whose threads carry the same prefix, this one
	 * included
	 */
	synchronized Set<String> add(CustomizableThreadCreator executor, String executorName) {
		SortedSet<String> names = this.executorsByPrefix.computeIfAbsent(executor.getThreadNamePrefix(),
				(prefix) -> new TreeSet<>());
		names.add(executorName);
		Map<String, String> namesByPrefix = new HashMap<>();
		this.executorsByPrefix
			.forEach((prefix, executors) -> namesByPrefix.put(prefix, String.join(" or ", executors)));
		this.namesByPrefix = Map.copyOf(namesByPrefix);
		return Set.copyOf(names);
	}

	/**
	 * Returns the name of the executor the given thread belongs to.
	 * @param thread a thread that runs a task
	 * @return the bean name of the executor whose thread name prefix, followed by a
	 * number, makes the thread's name; else the thread's name
	 */
	String nameOf(Thread thread) {
		String threadName = thread.getName();
		Map<String, String> namesByPrefix = this.namesByPrefix;
		String longestPrefix = null;
		for (String prefix : namesByPrefix.keySet()) {
			if ((longestPrefix == null || prefix.length() > longestPrefix.length()) && isNumbered(threadName, prefix)) {
				longestPrefix = prefix;
			}
		}
		return (longestPrefix != null) ? namesByPrefix.get(longestPrefix) : threadName;
	}

	private static boolean isNumbered(String threadName, String prefix) {
		if (threadName.length() <= prefix.length() || !threadName.startsWith(prefix)) {
			return false;
		}
		for (int i = prefix.length(); i < threadName.length(); i++) {
			if (!Character.isDigit(threadName.charAt(i))) {
				return false;
			}
		}
		return true;
	}

}
