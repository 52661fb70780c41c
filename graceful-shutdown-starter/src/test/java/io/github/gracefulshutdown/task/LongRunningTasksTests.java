package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link LongRunningTasks}.
 */
class LongRunningTasksTests {

	private final LongRunningTasks tasks = new LongRunningTasks();

	@Test
	void aTaskCountsFromItsBeginningToItsClose() {
		RunningTask task = this.tasks.begin("transcode");

		assertThat(this.tasks.active()).isOne();
		assertThat(task.isOpen()).isTrue();
		assertThat(task.name()).isEqualTo("transcode");
		task.close();
		assertThat(this.tasks.active()).isZero();
		assertThat(this.tasks.completed()).isOne();
		assertThat(task.isOpen()).isFalse();
	}

	@Test
	void closingATaskTwiceCountsItOnce() {
		RunningTask task = this.tasks.begin("transcode");

		task.close();
		task.close();

		assertThat(this.tasks.completed()).isOne();
		assertThat(this.tasks.active()).isZero();
	}

	@Test
	void aTaskMayBeClosedOnAnotherThread() throws Exception {
		RunningTask task = this.tasks.begin("export");
		Thread closer = new Thread(task::close);

		closer.start();
		closer.join(TimeUnit.SECONDS.toMillis(10));

		assertThat(this.tasks.active()).isZero();
		assertThat(this.tasks.completed()).isOne();
	}

	@Test
	void runAndCallCountTheWorkWhileItRunsAndEndItEvenWhenItFails() throws Exception {
		List<Integer> seen = new ArrayList<>();
		this.tasks.run("report", () -> seen.add(this.tasks.active()));
		String result = this.tasks.call("export", () -> {
			seen.add(this.tasks.active());
			return "exported";
		});
		assertThatIllegalStateException().isThrownBy(() -> this.tasks.run("failing", () -> {
			throw new IllegalStateException("Failing on purpose");
		}));

		assertThat(seen).containsExactly(1, 1);
		assertThat(result).isEqualTo("exported");
		assertThat(this.tasks.active()).isZero();
		assertThat(this.tasks.completed()).isEqualTo(3);
	}

	@Test
	void theSnapshotListsTheLongestRunningFirst() {
		RunningTask first = this.tasks.begin("first");
		awaitClockTick();
		RunningTask second = this.tasks.begin("second");
		awaitClockTick();
		this.tasks.begin("third");
		second.close();

		List<ActiveTask> snapshot = this.tasks.snapshot();

		assertThat(snapshot).extracting(ActiveTask::name).containsExactly("first", "third");
		assertThat(snapshot.get(0).runningFor()).isGreaterThan(snapshot.get(1).runningFor());
		assertThat(snapshot.get(0).toString()).startsWith("first (running for ").endsWith(")");
		assertThat(first.toString()).startsWith("first (running for ");
	}

	@Test
	void aTaskNeedsAName() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.tasks.begin(" "));
	}

	@Test
	void aTaskBegunWithinAnExecutorTaskStandsForItAndTheWorkCountsOnce() {
		RunningTask executorTask = this.tasks.beginExecutorTask("applicationTaskExecutor");
		assertThat(this.tasks.snapshot()).extracting(ActiveTask::name).containsExactly("applicationTaskExecutor");

		RunningTask job = this.tasks.begin("job 7");
		assertThat(this.tasks.active()).isOne();
		assertThat(this.tasks.snapshot()).extracting(ActiveTask::name).containsExactly("job 7");
		job.close();
		assertThat(this.tasks.snapshot()).extracting(ActiveTask::name).containsExactly("applicationTaskExecutor");
		this.tasks.endExecutorTask(executorTask);

		assertThat(this.tasks.active()).isZero();
		assertThat(this.tasks.completed()).as("the job completed the work of its executor task").isOne();
	}

	@Test
	void aTaskThatOutlivesTheExecutorTaskItWasBegunInStillCounts() {
		RunningTask executorTask = this.tasks.beginExecutorTask("applicationTaskExecutor");
		RunningTask handedOver = this.tasks.begin("upload");

		this.tasks.endExecutorTask(executorTask);

		assertThat(this.tasks.snapshot()).extracting(ActiveTask::name).containsExactly("upload");
		assertThat(this.tasks.completed()).isZero();
		handedOver.close();
		assertThat(this.tasks.active()).isZero();
		assertThat(this.tasks.completed()).isOne();
	}

	@Test
	void aTaskBegunAfterTheExecutorTaskOfItsThreadEndedCountsOnItsOwn() {
		this.tasks.endExecutorTask(this.tasks.beginExecutorTask("applicationTaskExecutor"));

		try (RunningTask task = this.tasks.begin("later")) {
			assertThat(this.tasks.snapshot()).extracting(ActiveTask::name).containsExactly("later");
		}
	}

	@Test
	void anExecutorTaskRunInsideAnotherOneOnTheSameThreadRestoresItWhenItEnds() {
		RunningTask outer = this.tasks.beginExecutorTask("outer");
		RunningTask inner = this.tasks.beginExecutorTask("callerRuns");
		this.tasks.endExecutorTask(inner);

		try (RunningTask task = this.tasks.begin("job")) {
			assertThat(this.tasks.snapshot()).extracting(ActiveTask::name).containsExactly("job");
		}
		this.tasks.endExecutorTask(outer);
		assertThat(this.tasks.active()).isZero();
	}

	@Test
	void manyThreadsBeginningAndEndingTasksLeaveNothingBehind() throws Exception {
		int threads = 8;
		int perThread = 2_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		CountDownLatch start = new CountDownLatch(1);
		List<Future<?>> futures = new ArrayList<>();
		for (int i = 0; i < threads; i++) {
			futures.add(executor.submit(() -> {
				start.await();
				for (int j = 0; j < perThread; j++) {
					this.tasks.begin("task").close();
				}
				return null;
			}));
		}
		start.countDown();
		for (Future<?> future : futures) {
			future.get(30, TimeUnit.SECONDS);
		}
		executor.shutdown();

		assertThat(this.tasks.active()).isZero();
		assertThat(this.tasks.completed()).isEqualTo((long) threads * perThread);
	}

	private static void awaitClockTick() {
		long start = System.nanoTime();
		while (System.nanoTime() - start < Duration.ofMillis(2).toNanos()) {
			LockSupport.parkNanos(Duration.ofMillis(1).toNanos());
		}
	}

}
