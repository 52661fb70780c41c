package io.github.gracefulshutdown.task;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import org.jspecify.annotations.Nullable;

/**
 * The long-running work the application holds: jobs, transcodes, exports, feeds. Each
 * task counts from the moment it begins until it ends, so that the drain can wait for it
 * and the platform can see, through the meters, that the application still holds work.
 * <pre class="code">
 * try (RunningTask task = tasks.begin("transcode")) {
 *     transcoder.transcode(video);
 * }
 * </pre>
 * <p>
 * A task begun on a thread that runs a task of a covered executor stands for that
 * executor task while it is open: the work counts once, under the more telling name.
 * <p>
 * Thread-safe. Beginning and ending a task costs one small allocation and no global lock;
 * the counts are computed when they are read.
 */
public final class LongRunningTasks {

	private final Set<RunningTask> running = ConcurrentHashMap.newKeySet();

	private final LongAdder completed = new LongAdder();

	private final ThreadLocal<@Nullable RunningTask> executorTask = new ThreadLocal<>();

	/**
	 * Registers a task that begins now. Close the returned handle when the work ends,
	 * best with try-with-resources; it may be closed on another thread than the one that
	 * began it.
	 * @param name what the task is, as shown in logs and reports, such as
	 * {@code "transcode"} or {@code "export 42"}
	 * @return the running task
	 */
	public RunningTask begin(String name) {
		RunningTask within = this.executorTask.get();
		RunningTask task = new RunningTask(this, requireName(name),
				(within != null && within.isOpen()) ? within : null);
		this.running.add(task);
		task.enterExecutorTask();
		return task;
	}

	/**
	 * Runs the given work on the calling thread as a task.
	 * @param name what the task is
	 * @param work the work
	 */
	public void run(String name, Runnable work) {
		try (RunningTask task = begin(name)) {
			work.run();
		}
	}

	/**
	 * Runs the given work on the calling thread as a task and returns its result.
	 * @param <T> the type of the result
	 * @param name what the task is
	 * @param work the work
	 * @return what the work returned
	 * @throws Exception whatever the work throws
	 */
	public <T> T call(String name, Callable<T> work) throws Exception {
		try (RunningTask task = begin(name)) {
			return work.call();
		}
	}

	/**
	 * Returns the number of tasks running now.
	 * @return the running tasks
	 */
	public int active() {
		int active = 0;
		for (RunningTask task : this.running) {
			if (task.isCounted()) {
				active++;
			}
		}
		return active;
	}

	/**
	 * Returns the number of tasks that have ended since the application started. An
	 * executor task that a task begun within it stood for is not counted on its own.
	 * @return the completed tasks
	 */
	public long completed() {
		return this.completed.sum();
	}

	/**
	 * Returns the tasks running now, longest running first. A task that ends while they
	 * are listed may be left out.
	 * @return the running tasks
	 */
	public List<ActiveTask> snapshot() {
		long now = System.nanoTime();
		List<RunningTask> counted = new ArrayList<>();
		for (RunningTask task : this.running) {
			if (task.isCounted()) {
				counted.add(task);
			}
		}
		counted.sort(Comparator.comparingLong(RunningTask::startNanos));
		return counted.stream().map((task) -> task.describe(now)).toList();
	}

	/**
	 * Registers a task that a covered executor starts to run on the calling thread.
	 * @param executorName the bean name of the executor
	 * @return the running task, to pass to {@link #endExecutorTask(RunningTask)}
	 */
	RunningTask beginExecutorTask(String executorName) {
		RunningTask task = new RunningTask(this, executorName, null);
		task.runsAfter(this.executorTask.get());
		this.running.add(task);
		this.executorTask.set(task);
		return task;
	}

	/**
	 * Returns whether the calling thread runs a task of a covered executor now, so that
	 * the work already counts.
	 * @return {@code true} between {@link #beginExecutorTask(String)} and
	 * {@link #endExecutorTask(RunningTask)} on this thread
	 */
	boolean inExecutorTask() {
		RunningTask task = this.executorTask.get();
		return task != null && task.isOpen();
	}

	/**
	 * Ends a task begun with {@link #beginExecutorTask(String)}, on the same thread.
	 * @param task the executor task
	 */
	void endExecutorTask(RunningTask task) {
		RunningTask previous = task.previousExecutorTask();
		if (previous != null) {
			this.executorTask.set(previous);
		}
		else {
			this.executorTask.remove();
		}
		task.close();
	}

	void ended(RunningTask task, boolean counted) {
		if (this.running.remove(task) && counted) {
			this.completed.increment();
		}
	}

	private static String requireName(@Nullable String name) {
		if (name == null || name.isBlank()) {
			throw new IllegalArgumentException("A task needs a name");
		}
		return name;
	}

}
