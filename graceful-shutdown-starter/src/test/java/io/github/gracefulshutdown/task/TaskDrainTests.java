package io.github.gracefulshutdown.task;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskDrain}.
 */
class TaskDrainTests {

	private final LongRunningTasks tasks = new LongRunningTasks();

	private final AtomicInteger queued = new AtomicInteger();

	private final AtomicLong requestsInFlight = new AtomicLong();

	private final AtomicBoolean handingOver = new AtomicBoolean();

	private final TaskDrain drain = new TaskDrain(this.tasks, this.queued::get, this.handingOver::get,
			this.requestsInFlight::get);

	private final CountDownLatch done = new CountDownLatch(1);

	private final AtomicInteger tasksOutlivedRequests = new AtomicInteger();

	@Test
	void withoutTasksTheWaitIsOverAtOnce() {
		startWaiting(false);

		await().until(() -> this.done.getCount() == 0);
		assertThat(this.tasksOutlivedRequests).hasValue(0);
	}

	@Test
	void theWaitLastsUntilTheLastTaskEnds() throws Exception {
		RunningTask first = this.tasks.begin("first");
		RunningTask second = this.tasks.begin("second");

		startWaiting(false);

		await().until(() -> this.tasksOutlivedRequests.get() == 1);
		first.close();
		assertStaysTrue(() -> this.done.getCount() == 1, "still waiting while a task runs");
		second.close();
		await().until(() -> this.done.getCount() == 0);
		assertThat(this.tasksOutlivedRequests).hasValue(1);
	}

	@Test
	void queuedTasksAreWaitedForLikeRunningOnes() throws Exception {
		this.queued.set(2);

		startWaiting(false);

		await().until(() -> this.tasksOutlivedRequests.get() == 1);
		assertStaysTrue(() -> this.done.getCount() == 1, "still waiting");
		this.queued.set(0);
		await().until(() -> this.done.getCount() == 0);
	}

	@Test
	void aTaskOnItsWayToAnExecutorsThreadIsWaitedFor() throws Exception {
		this.handingOver.set(true);

		startWaiting(false);

		await().until(() -> this.tasksOutlivedRequests.get() == 1);
		assertStaysTrue(() -> this.done.getCount() == 1, "still waiting");
		this.handingOver.set(false);
		await().until(() -> this.done.getCount() == 0);
	}

	@Test
	void whenSharingTheInFlightDeadlineTheTaskDrainBeginsOnceTheRequestsAreDone() throws Exception {
		this.requestsInFlight.set(1);
		RunningTask task = this.tasks.begin("job");

		startWaiting(true);

		assertStaysTrue(() -> this.tasksOutlivedRequests.get() == 0, "no task outlived the requests before they ended");
		this.requestsInFlight.set(0);
		await().until(() -> this.tasksOutlivedRequests.get() == 1);
		assertThat(this.done.getCount()).isOne();
		task.close();
		await().until(() -> this.done.getCount() == 0);
	}

	@Test
	void whenSharingTheInFlightDeadlineTheWaitIncludesTheRequests() throws Exception {
		this.requestsInFlight.set(1);

		startWaiting(true);

		assertStaysTrue(() -> this.done.getCount() == 1, "still waiting");
		this.requestsInFlight.set(0);
		await().until(() -> this.done.getCount() == 0);
		assertThat(this.tasksOutlivedRequests).as("no task outlived the requests").hasValue(0);
	}

	@Test
	void endingTheWaitAtTheDeadlineCutsOffWhatIsLeftAndStopsWaiting() throws Exception {
		DrainCoordinator coordinator = new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO),
				() -> List.of(this.drain), Clock.systemUTC());
		this.tasks.begin("before the drain").close();
		RunningTask finished = this.tasks.begin("finished");
		RunningTask stuck = this.tasks.begin("stuck");
		this.queued.set(3);
		coordinator.startDrain(DrainTrigger.APPLICATION);
		startWaiting(false);
		finished.close();

		TaskDrain.Leftover leftover = this.drain.endWait();

		assertThat(leftover.running()).extracting(ActiveTask::name).containsExactly("stuck");
		assertThat(leftover.queued()).isEqualTo(3);
		assertThat(leftover.describe())
			.startsWith("3 tasks queued in covered executors and 1 long-running task: stuck (running for ");
		assertThat(this.drain.cutOff()).isEqualTo(4);
		assertThat(this.drain.completedDuringDrain()).isOne();
		stuck.close();
		assertThat(this.drain.completedDuringDrain()).as("frozen at the end of the wait").isOne();
		assertThat(this.drain.endWait().isEmpty()).as("only the first end counts").isTrue();
		assertThat(this.drain.cutOff()).isEqualTo(4);
		this.queued.set(0);
		assertStaysTrue(() -> this.done.getCount() == 1, "done not called again after the wait was ended");
	}

	@Test
	void beforeADrainNothingIsCompletedDuringIt() {
		this.tasks.begin("task").close();

		assertThat(this.drain.completedDuringDrain()).isZero();
		assertThat(this.drain.cutOff()).isZero();
	}

	@Test
	void manyTasksAreListedLongestRunningFirstUpToTen() {
		for (int i = 0; i < 12; i++) {
			this.tasks.begin("task " + i);
		}

		String description = new TaskDrain.Leftover(this.tasks.snapshot(), 0).describe();

		assertThat(description).startsWith("12 long-running tasks, longest running first: task ")
			.endsWith(" and 2 more");
	}

	private void startWaiting(boolean withRequests) {
		this.drain.await(withRequests, "for the test", this.tasksOutlivedRequests::incrementAndGet,
				this.done::countDown);
	}

	/**
	 * Checks that a condition holds now and for a while: the wait must not end early.
	 */
	private static void assertStaysTrue(Callable<Boolean> condition, String description) {
		await(description).during(Duration.ofMillis(100)).atMost(Duration.ofSeconds(5)).until(condition);
	}

}
