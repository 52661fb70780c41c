package io.github.gracefulshutdown.sample.webflux;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import io.github.gracefulshutdown.task.LongRunningTasks;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.stereotype.Service;

/**
 * Runs long jobs in the background, on Spring Boot's application task executor, each
 * registered as a long-running task named after it, so that the drain waits for the jobs
 * still running when the application stops.
 */
@Service
class JobService {

	private static final Log logger = LogFactory.getLog(JobService.class);

	private final LongRunningTasks tasks;

	private final Executor executor;

	private final AtomicLong ids = new AtomicLong();

	private final Map<Long, String> states = new ConcurrentHashMap<>();

	JobService(LongRunningTasks tasks,
			@Qualifier(TaskExecutionAutoConfiguration.APPLICATION_TASK_EXECUTOR_BEAN_NAME) Executor executor) {
		this.tasks = tasks;
		this.executor = executor;
	}

	/**
	 * Starts a job.
	 * @param duration how long the job works
	 * @return the id of the job
	 */
	long start(Duration duration) {
		long id = this.ids.incrementAndGet();
		this.states.put(id, "queued");
		this.executor.execute(() -> this.tasks.run("job " + id, () -> work(id, duration)));
		return id;
	}

	/**
	 * Returns how a job is going.
	 * @param id the id of the job
	 * @return its state, if there is such a job
	 */
	Optional<String> state(long id) {
		return Optional.ofNullable(this.states.get(id));
	}

	private void work(long id, Duration duration) {
		logger.info("Job " + id + " started: " + duration.toSeconds() + " s of work");
		for (long second = 0; second < duration.toSeconds(); second++) {
			this.states.put(id, "running, " + second + " of " + duration.toSeconds() + " s done");
			try {
				Thread.sleep(1000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				this.states.put(id, "interrupted after " + second + " s");
				logger.info("Job " + id + " interrupted after " + second + " s");
				return;
			}
		}
		this.states.put(id, "finished");
		logger.info("Job " + id + " finished");
	}

}
