package io.github.gracefulshutdown.autoconfigure;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link CloseCause}.
 */
class CloseCauseTests {

	@Test
	void aRunningJvmIsNotShuttingDown() {
		assertThat(CloseCause.jvmShuttingDown()).isFalse();
	}

	@Test
	void aJvmThatRefusesNewShutdownHooksIsShuttingDown() {
		assertThat(CloseCause.jvmShuttingDown(CloseCauseTests::shutdownInProgress, (hook) -> {
		})).isTrue();
	}

	@Test
	void aJvmWhoseShutdownBeginsBetweenAddingAndRemovingTheProbeIsShuttingDown() {
		assertThat(CloseCause.jvmShuttingDown((hook) -> {
		}, CloseCauseTests::shutdownInProgress)).isTrue();
	}

	private static void shutdownInProgress(Thread hook) {
		throw new IllegalStateException("Shutdown in progress");
	}

}
