package io.github.gracefulshutdown.websocket;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.test.TestThreads;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
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
		assertThat(drain.stats().getOpenSessions()).isEqualTo(3);

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
	void aSessionWhoseServerApiChangedDoesNotKeepTheOthersFromClosing() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ofMillis(300)));
		FakeSession changed = open(drain, Behaviour.SERVER_API_CHANGED);
		FakeSession answering = open(drain, Behaviour.ANSWERS);

		assertThatNoException().isThrownBy(drain::closeAll);

		assertThat(answering.closeCode).isEqualTo(1001);
		assertThat(drain.stats().getClosedCleanly()).isOne();
		assertThat(drain.stats().getForceClosed()).isOne();
		assertThat(changed.closeCode).isEqualTo(1001);
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
		CompletableFuture<Void> closing = TestThreads.runInBackground(drain::closeAll);
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
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ofSeconds(10)));
		FakeSession session = open(drain, Behaviour.ANSWERS);

		drain.closeAll();
		drain.closeAll();

		assertThat(session.closeCount).isOne();
		assertThat(drain.stats().getClosedCleanly()).isOne();
	}

	@Test
	void whenTheWriteOfACloseFrameFailsThenTheSessionCountsAsFailedAndIsDroppedAtOnce() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ofSeconds(30)));
		FakeSession broken = open(drain, Behaviour.FAILS_TO_WRITE);
		long start = System.nanoTime();

		drain.closeAll();

		assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(20));
		assertThat(drain.stats().getFailed()).isOne();
		assertThat(drain.stats().getClosedCleanly()).isZero();
		assertThat(broken.aborted).isTrue();
	}

	@Test
	void whenACloseFrameIsStillQueuedAtTheDeadlineThenTheSessionCountsAsFailedAndIsDropped() {
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(Duration.ZERO, Duration.ofMillis(300)));
		FakeSession stuck = open(drain, Behaviour.STOPPED_READING_QUEUED);
		open(drain, Behaviour.NEVER_ANSWERS);

		drain.closeAll();

		assertThat(drain.stats().getFailed()).isOne();
		assertThat(drain.stats().getForceClosed()).isOne();
		assertThat(drain.stats().getClosedCleanly()).isZero();
		await().until(() -> stuck.aborted);
	}

	@Test
	void whenClosesWaitForClientsThatStoppedReadingThenTheOtherSessionsStillGetTheirCloseFramesOnTime() {
		Duration spread = Duration.ofMillis(600);
		Duration timeout = Duration.ofSeconds(1);
		WebSocketSessionDrain drain = new WebSocketSessionDrain(policy(spread, timeout));
		List<FakeSession> stuck = new ArrayList<>();
		for (int i = 0; i < 4; i++) {
			stuck.add(open(drain, Behaviour.STOPPED_READING_BLOCKING));
		}
		List<FakeSession> answering = new ArrayList<>();
		for (int i = 0; i < 40; i++) {
			answering.add(open(drain, Behaviour.ANSWERS));
		}
		long start = System.nanoTime();

		drain.closeAll();

		long end = System.nanoTime();
		long lastAnswering = answering.stream().mapToLong((session) -> session.closedAtNanos).max().orElseThrow();
		assertThat(Duration.ofNanos(lastAnswering - start)).as("last close frame to a reading client")
			.isLessThan(spread.plusMillis(300));
		assertThat(Duration.ofNanos(end - start)).isLessThan(spread.plus(timeout).plusSeconds(1));
		assertThat(drain.stats().getClosedCleanly()).isEqualTo(40);
		assertThat(drain.stats().getFailed()).isEqualTo(4);
		await().until(() -> stuck.stream().allMatch((session) -> session.aborted && session.blockedForNanos > 0));
		for (FakeSession session : stuck) {
			assertThat(session.closeTimeout).isLessThanOrEqualTo(spread.plus(timeout).plusMillis(100));
			assertThat(session.closedAtNanos + session.blockedForNanos - start).as("end of the wait for the write")
				.isLessThan(spread.plus(timeout).plusSeconds(1).toNanos());
		}
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
		assertThat(drain.trackedSessions()).isLessThan(2000);
		assertThat(drain.stats().getOpenSessions()).isZero();
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

		/**
		 * The close frame is written at once and answered.
		 */
		ANSWERS,

		/**
		 * The close frame is written at once and never answered.
		 */
		NEVER_ANSWERS,

		/**
		 * The close throws, as an API does when it cannot send the close frame.
		 */
		FAILS_TO_SEND,

		/**
		 * The close frame is queued, and its write fails later, as on Jetty when the
		 * connection breaks.
		 */
		FAILS_TO_WRITE,

		/**
		 * The close frame is queued and never written, and the session deems itself
		 * closed at once, as on Jetty with 1001 when the client has stopped reading.
		 */
		STOPPED_READING_QUEUED,

		/**
		 * The close waits for the frame to be written until its timeout, or until it is
		 * interrupted, as on Tomcat when the client has stopped reading.
		 */
		STOPPED_READING_BLOCKING,

		/**
		 * The close frame is written, but asking whether the connection is closed or
		 * dropping it fails, as a server whose internal API changed does.
		 */
		SERVER_API_CHANGED

	}

	static final class FakeSession implements DrainableSession {

		private final Behaviour behaviour;

		volatile boolean open = true;

		volatile int closeCode;

		volatile int closeCount;

		volatile long closedAtNanos;

		volatile Duration closeTimeout;

		volatile long blockedForNanos;

		volatile boolean interrupted;

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
		public CompletableFuture<Void> close(int code, String reason, Duration timeout) throws IOException {
			this.closeCount++;
			this.closedAtNanos = System.nanoTime();
			this.closeTimeout = timeout;
			if (this.behaviour == Behaviour.FAILS_TO_SEND) {
				throw new IOException("Broken pipe");
			}
			this.closeCode = code;
			this.open = false;
			this.closed = this.behaviour == Behaviour.ANSWERS || this.behaviour == Behaviour.STOPPED_READING_QUEUED;
			return switch (this.behaviour) {
				case FAILS_TO_WRITE -> CompletableFuture.failedFuture(new IOException("Connection reset"));
				case STOPPED_READING_QUEUED -> new CompletableFuture<>();
				case STOPPED_READING_BLOCKING -> {
					// What Tomcat does: it wraps the interrupt or the timeout, drops the
					// connection, and returns as if the frame had gone out
					try {
						new CountDownLatch(1).await(timeout.toNanos(), TimeUnit.NANOSECONDS);
					}
					catch (InterruptedException ex) {
						this.interrupted = true;
					}
					this.blockedForNanos = System.nanoTime() - this.closedAtNanos;
					yield CompletableFuture.completedFuture(null);
				}
				default -> CompletableFuture.completedFuture(null);
			};
		}

		@Override
		public boolean isClosed() {
			if (this.behaviour == Behaviour.SERVER_API_CHANGED) {
				throw new NoSuchMethodError("isClosed");
			}
			return this.closed;
		}

		@Override
		public void abort() {
			if (this.behaviour == Behaviour.SERVER_API_CHANGED) {
				throw new NoSuchMethodError("abort");
			}
			this.aborted = true;
			this.closed = true;
		}

		@Override
		public void connectionClosed() {
			this.connectionClosed = true;
		}

	}

}
