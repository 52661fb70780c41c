package io.github.gracefulshutdown.task;

import org.junit.jupiter.api.Test;

import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ExecutorThreadNames}.
 */
class ExecutorThreadNamesTests {

	private final ExecutorThreadNames names = new ExecutorThreadNames();

	@Test
	void aThreadIsNamedAfterTheExecutorWhosePrefixAndANumberMakeItsName() {
		this.names.add(executor("task-"), "applicationTaskExecutor");
		this.names.add(executor("task-reports-"), "reportExecutor");

		assertThat(this.names.nameOf(new Thread("task-12"))).isEqualTo("applicationTaskExecutor");
		assertThat(this.names.nameOf(new Thread("task-reports-3"))).isEqualTo("reportExecutor");
	}

	@Test
	void aThreadWhoseNameIsNoPrefixAndNumberLendsItsOwnName() {
		this.names.add(executor("task-"), "applicationTaskExecutor");

		assertThat(this.names.nameOf(new Thread("task-"))).isEqualTo("task-");
		assertThat(this.names.nameOf(new Thread("task-export"))).isEqualTo("task-export");
		assertThat(this.names.nameOf(new Thread("pool-1-thread-1"))).isEqualTo("pool-1-thread-1");
	}

	@Test
	void executorsSharingAPrefixNameTheirThreadsAfterAllOfThem() {
		assertThat(this.names.add(executor("task-"), "second")).containsExactly("second");

		assertThat(this.names.add(executor("task-"), "first")).containsExactlyInAnyOrder("first", "second");
		assertThat(this.names.nameOf(new Thread("task-1"))).isEqualTo("first or second");
	}

	private static ThreadPoolTaskExecutor executor(String threadNamePrefix) {
		ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
		executor.setThreadNamePrefix(threadNamePrefix);
		return executor;
	}

}
