package io.github.gracefulshutdown.test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import io.github.gracefulshutdown.task.LongRunningTasks;
import io.github.gracefulshutdown.task.RunningTask;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Import;
import org.springframework.http.ResponseEntity;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A web application that starts long-running jobs: through the {@link LongRunningTasks}
 * API, and through an {@code @Async} method that knows nothing about the drain. Every job
 * runs until the test releases it.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@EnableAsync
@Import({ TaskTestApplication.Jobs.class, TaskTestApplication.AsyncJobs.class,
		TaskTestApplication.JobController.class })
public class TaskTestApplication {

	/**
	 * The work every job does: wait until the test releases it.
	 */
	public static class Jobs {

		private static final long LONGEST_NANOS = TimeUnit.SECONDS.toNanos(60);

		private final CountDownLatch release = new CountDownLatch(1);

		private final CountDownLatch releaseRequests = new CountDownLatch(1);

		private final AtomicInteger started = new AtomicInteger();

		private final AtomicInteger finished = new AtomicInteger();

		private final AtomicInteger interrupted = new AtomicInteger();

		private final AtomicInteger requestsEntered = new AtomicInteger();

		/**
		 * Works until released, or for at most a minute.
		 * @param stubborn whether to ignore interrupts, the way a call stuck in a socket
		 * read does
		 */
		public void work(boolean stubborn) {
			this.started.incrementAndGet();
			long deadline = System.nanoTime() + LONGEST_NANOS;
			while (this.release.getCount() > 0 && System.nanoTime() < deadline) {
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
				if (!stubborn && Thread.interrupted()) {
					this.interrupted.incrementAndGet();
					return;
				}
			}
			this.finished.incrementAndGet();
		}

		public void release() {
			this.release.countDown();
		}

		public void releaseRequests() {
			this.releaseRequests.countDown();
		}

		public int started() {
			return this.started.get();
		}

		public int finished() {
			return this.finished.get();
		}

		public int interrupted() {
			return this.interrupted.get();
		}

		public int requestsEntered() {
			return this.requestsEntered.get();
		}

	}

	/**
	 * Jobs run by Spring's {@code @Async} support, on the application task executor.
	 */
	public static class AsyncJobs {

		private final Jobs jobs;

		AsyncJobs(Jobs jobs) {
			this.jobs = jobs;
		}

		@Async
		public void run(boolean stubborn) {
			this.jobs.work(stubborn);
		}

	}

	@RestController
	public static class JobController {

		private final LongRunningTasks tasks;

		private final Jobs jobs;

		private final AsyncJobs asyncJobs;

		JobController(LongRunningTasks tasks, Jobs jobs, AsyncJobs asyncJobs) {
			this.tasks = tasks;
			this.jobs = jobs;
			this.asyncJobs = asyncJobs;
		}

		/**
		 * Starts a job registered through the API on a thread of its own, and answers at
		 * once. The task begins on the request's thread and ends on the job's.
		 * @param name the name of the task
		 * @param stubborn whether the job ignores interrupts
		 * @return 202
		 */
		@PostMapping("/jobs")
		ResponseEntity<Void> job(@RequestParam String name, @RequestParam(defaultValue = "false") boolean stubborn) {
			RunningTask task = this.tasks.begin(name);
			Thread thread = new Thread(() -> {
				try (task) {
					this.jobs.work(stubborn);
				}
			}, "job-" + name);
			thread.setDaemon(true);
			thread.start();
			return ResponseEntity.accepted().build();
		}

		/**
		 * Starts a job through an {@code @Async} method, and answers at once.
		 * @param stubborn whether the job ignores interrupts
		 * @return 202
		 */
		@PostMapping("/async-jobs")
		ResponseEntity<Void> asyncJob(@RequestParam(defaultValue = "false") boolean stubborn) {
			this.asyncJobs.run(stubborn);
			return ResponseEntity.accepted().build();
		}

		/**
		 * Waits until the test releases requests, then starts an {@code @Async} job on
		 * its way out.
		 * @return the body
		 * @throws InterruptedException if interrupted while waiting
		 */
		@GetMapping("/request-then-job")
		String requestThenJob() throws InterruptedException {
			this.jobs.requestsEntered.incrementAndGet();
			this.jobs.releaseRequests.await(30, TimeUnit.SECONDS);
			this.asyncJobs.run(false);
			return "job started";
		}

	}

}
