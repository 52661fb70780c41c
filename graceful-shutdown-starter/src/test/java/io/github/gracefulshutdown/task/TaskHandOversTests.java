package io.github.gracefulshutdown.task;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link TaskHandOvers}.
 */
class TaskHandOversTests {

	private final TaskHandOvers handOvers = new TaskHandOvers();

	@Test
	void aTaskIsOnItsWayFromItsHandOverUntilItStarts() {
		assertThat(this.handOvers.inProgress()).isFalse();

		long handOver = this.handOvers.handedOver();
		assertThat(this.handOvers.inProgress()).isTrue();
		this.handOvers.started(handOver);

		assertThat(this.handOvers.inProgress()).isFalse();
	}

	@Test
	void aTaskThatNeverStartsStopsCountingOnItsOwn() {
		this.handOvers.handedOver();

		assertThat(this.handOvers.inProgress()).isTrue();
		await().until(() -> !this.handOvers.inProgress());
	}

	@Test
	void aTaskThatNeverStartedDoesNotKeepLaterTasksOnTheirWayOnceTheyHaveStarted() {
		this.handOvers.handedOver();
		await().until(() -> !this.handOvers.inProgress());

		long handOver = this.handOvers.handedOver();
		this.handOvers.started(handOver);

		assertThat(this.handOvers.inProgress()).isFalse();
	}

	@Test
	void aStartAfterTheTaskStoppedCountingLeavesLaterTasksCounted() {
		long late = this.handOvers.handedOver();
		await().until(() -> !this.handOvers.inProgress());
		this.handOvers.handedOver();

		this.handOvers.started(late);

		assertThat(this.handOvers.inProgress()).isTrue();
	}

}
