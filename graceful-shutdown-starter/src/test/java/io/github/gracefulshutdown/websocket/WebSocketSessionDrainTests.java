package io.github.gracefulshutdown.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link WebSocketSessionDrain}, with sessions that behave as the test says.
 */
class WebSocketSessionDrainTests {

	@Test
	void eachSessionEndsUpInExactlyOneOutcome() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ofMillis(100), Duration.ofMillis(500)));
		FakeSession answering = open(drain, Behaviour.ANSWERS);
		FakeSession silent = open(drain, Behaviour.NEVER_ANSWERS);
		FakeSession gone = open(drain, Behaviour.ANSWERS);
		gone.open = false;
		FakeSession failing = open(drain, Behaviour.FAILS_TO_SEND);
		assertThat(drain.stats().getOpenSessions()).isEqualTo(4);

		drain.closeAll();

		WebSocketDrainStats stats = drain.stats();
		assertThat(stats.getClosedCleanly()).isOne();
		assertThat(stats.getForceClosed()).isOne();
		assertThat(stats.getAlreadyGone()).isOne();
		assertThat(stats.getFailed()).isOne();
		assertThat(answering.closeCode).isEqualTo(1001);
		assertThat(answering.aborted).isFalse();
		assertThat(silent.closeCode).isEqualTo(1001);
		await().until(() -> silent.aborted);
		assertThat(gone.closeCode).isZero();
		assertThat(failing.aborted).isTrue();
	}

	@Test
	void whenEveryClientAnswersThenTheCloseEndsBeforeTheDeadline() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ofSeconds(30)));
		for (int i = 0; i < 100; i++) {
			open(drain, Behaviour.ANSWERS);
		}
		long start = System.nanoTime();

		drain.closeAll();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
		assertThat(drain.stats().getClosedCleanly()).isEqualTo(100);
	}

	@Test
	void whenAClientNeverAnswersThenTheCloseEndsAtTheDeadline() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ofMillis(200), Duration.ofMillis(300)));
		FakeSession silent = open(drain, Behaviour.NEVER_ANSWERS);
		long start = System.nanoTime();

		drain.closeAll();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
		await().until(() -> silent.aborted);
		assertThat(drain.stats().getForceClosed()).isOne();
	}

	@Test
	void closeFramesAreSpreadOverTheCloseSpread() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ofMillis(600), Duration.ofSeconds(5)));
		List<FakeSession> sessions = new ArrayList<>();
		for (int i = 0; i < 50; i++) {
			sessions.add(open(drain, Behaviour.ANSWERS));
		}
		long start = System.nanoTime();

		drain.closeAll();

		long first = sessions.stream().mapToLong((session) -> session.closedAtNanos).min().orElseThrow();
		long last = sessions.stream().mapToLong((session) -> session.closedAtNanos).max().orElseThrow();
		assertThat(Duration.ofNanos(last - first)).isGreaterThan(Duration.ofMillis(150));
		assertThat(Duration.ofNanos(first - start)).isLessThan(Duration.ofMillis(600));
	}

	@Test
	void aSessionThatOpensDuringTheCloseIsClosedAtOnce() throws Exception {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ofSeconds(5)));
		open(drain, Behaviour.NEVER_ANSWERS);
		CompletableFuture<Void> closing = CompletableFuture.runAsync(drain::closeAll);
		await().until(drain::isClosing);

		FakeSession late = open(drain, Behaviour.ANSWERS);

		await().until(() -> late.closeCode == 1001);
		assertThat(closing).isNotDone();
		await().until(() -> drain.stats().getClosedCleanly() == 1);
		closing.get(30, TimeUnit.SECONDS);
		assertThat(drain.stats().getForceClosed()).isOne();
	}

	@Test
	void aSessionThatOpensAfterTheCloseIsClosedAndDroppedAtOnce() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ZERO));
		drain.closeAll();

		FakeSession late = open(drain, Behaviour.ANSWERS);

		assertThat(late.closeCode).isEqualTo(1001);
		assertThat(late.aborted).isTrue();
		assertThat(drain.stats().getForceClosed()).isOne();
	}

	@Test
	void theCloseRunsOnce() throws Exception {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ofMillis(100)));
		FakeSession session = open(drain, Behaviour.ANSWERS);

		drain.closeAll();
		drain.closeAll();

		assertThat(session.closeCount).isOne();
		assertThat(drain.stats().getClosedCleanly()).isOne();
	}

	@Test
	void sessionsThatCloseAreForgotten() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ZERO));
		FakeSession session = new FakeSession(Behaviour.ANSWERS);
		drain.sessionOpened("key", session);

		drain.sessionClosed("key");

		assertThat(drain.stats().getOpenSessions()).isZero();
		assertThat(session.connectionClosed).isTrue();
	}

	@Test
	void closedSessionsTheApplicationWasNotToldAboutAreSweptAway() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ZERO));
		for (int i = 0; i < 2000; i++) {
			FakeSession session = open(drain, Behaviour.ANSWERS);
			session.open = false;
		}
		assertThat(drain.stats().getOpenSessions()).isLessThan(2000);
	}

	private static ClosePolicy policy(Duration spread, Duration timeout) {
		return new ClosePolicy(1001, "Server shutting down", spread, timeout);
	}

	private static FakeSession open(WebSocketSessionDrain drain, Behaviour behaviour) {
		FakeSession session = new FakeSession(behaviour);
		drain.sessionOpened(session, session);
		return session;
	}

	enum Behaviour {

		ANSWERS, NEVER_ANSWERS, FAILS_TO_SEND

	}

	static final class FakeSession implements DrainableSession {

		private final Behaviour behaviour;

		volatile boolean open = true;

		volatile int closeCode;

		volatile int closeCount;

		volatile long closedAtNanos;

		volatile boolean closed;

		volatile boolean aborted;

		volatile boolean connectionClosed;

		FakeSession(Behaviour behaviour) {
			this.behaviour = behaviour;
		}

		@Override
		public boolean isOpen() {
			return this.open;
		}

		@Override
		public void close(int code, String reason) throws IOException {
			this.closeCount++;
			this.closedAtNanos = System.nanoTime();
			if (this.behaviour == Behaviour.FAILS_TO_SEND) {
				throw new IOException("Broken pipe");
			}
			this.closeCode = code;
			this.open = false;
			this.closed = this.behaviour == Behaviour.ANSWERS;
		}

		@Override
		public boolean isClosed() {
			return this.closed;
		}

		@Override
		public void abort() {
			this.aborted = true;
			this.closed = true;
		}

		@Override
		public void connectionClosed() {
			this.connectionClosed = true;
		}

	}

}
