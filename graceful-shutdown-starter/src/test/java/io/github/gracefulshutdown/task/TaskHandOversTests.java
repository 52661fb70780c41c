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

		this.handOvers.handedOver();
		assertThat(this.handOvers.inProgress()).isTrue();
		this.handOvers.started();

		assertThat(this.handOvers.inProgress()).isFalse();
	}

	@Test
	void aTaskThatNeverStartsStopsCountingOnceHandOversHaveStoppedForASecond() {
		this.handOvers.handedOver();

		assertThat(this.handOvers.inProgress()).isTrue();
		await().until(() -> !this.handOvers.inProgress());
	}

}
