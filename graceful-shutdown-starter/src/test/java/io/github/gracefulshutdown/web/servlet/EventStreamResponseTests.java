package io.github.gracefulshutdown.web.servlet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import io.github.gracefulshutdown.test.TestThreads;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link EventStreamResponse}, over a response that stands in for the server's.
 */
class EventStreamResponseTests {

	private final ServerResponse server = new ServerResponse();

	@Test
	void endingRefusesTheApplicationsWritesAndLeavesTheBodyToTheServer() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();
		body.write("data:tick\n\n".getBytes(StandardCharsets.UTF_8));
		body.flush();

		assertThat(response.end(0, TimeUnit.SECONDS)).isTrue();

		assertThatIOException().isThrownBy(() -> body.write('x')).withMessage("Event stream ended");
		body.flush();
		response.flushBuffer();
		body.close();
		assertThat(this.server.content()).isEqualTo("data:tick\n\n");
		assertThat(this.server.flushes).isOne();
		assertThat(this.server.bodyClosed).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "data:tick\n\n", "data:tick\r\n\r\n", "data:tick\r\r", "data:tick\n\r\n",
			": keep-alive\n\n", "data:a\ndata:b\n\n" })
	void aStreamBetweenTwoEventsEndsAtOnce(String written) throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		response.getOutputStream().write(written.getBytes(StandardCharsets.UTF_8));

		assertThat(response.end(0, TimeUnit.SECONDS)).isTrue();
	}

	@ParameterizedTest
	@ValueSource(strings = { "data:", "data:tick", "data:tick\n", "data:tick\r\n", "data:a\n\ndata:b\n" })
	void aStreamInTheMiddleOfAnEventDoesNotEndBeforeTheEventIsComplete(String written) throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();
		body.write(written.getBytes(StandardCharsets.UTF_8));

		assertThat(response.end(10, TimeUnit.MILLISECONDS)).isFalse();
		body.write('x');
		assertThat(this.server.content()).isEqualTo(written + "x");
	}

	@Test
	void aLineBreakEarlyInAWriteIsNotTakenForTheEndOfAnEvent() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();
		body.write("data:a\n".getBytes(StandardCharsets.UTF_8));
		assertThat(response.end(0, TimeUnit.SECONDS)).isFalse();

		body.write("data:b\nid".getBytes(StandardCharsets.UTF_8));
		body.write(":1\n".getBytes(StandardCharsets.UTF_8));

		assertThat(response.end(0, TimeUnit.SECONDS)).isFalse();
		assertThat(this.server.content()).isEqualTo("data:a\ndata:b\nid:1\n");
	}

	@Test
	void aWriteThatEndsOneEventAndBeginsTheNextDoesNotEndTheStream() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();
		body.write("data:".getBytes(StandardCharsets.UTF_8));
		assertThat(response.end(0, TimeUnit.SECONDS)).isFalse();

		body.write("tick\n\nd".getBytes(StandardCharsets.UTF_8));
		body.write("ata:tock\n\n".getBytes(StandardCharsets.UTF_8));

		assertThatIOException().isThrownBy(() -> body.write('x'));
		assertThat(this.server.content()).isEqualTo("data:tick\n\ndata:tock\n\n");
	}

	@Test
	void aResetDoesNotWaitForTheEventBeingWritten() throws Exception {
		this.server.holdWrites();
		EventStreamResponse response = new EventStreamResponse(this.server);
		try {
			writeInBackground(response.getOutputStream(), "data:tick\n\n");
			assertThat(this.server.writing.await(10, TimeUnit.SECONDS)).isTrue();

			assertThatIllegalStateException().isThrownBy(response::resetBuffer);
			assertThatIllegalStateException().isThrownBy(response::reset);
		}
		finally {
			this.server.releaseWrites();
		}
	}

	@Test
	void endingWaitsForTheRestOfTheEventBeingWritten() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();
		body.write("data:tick\n".getBytes(StandardCharsets.UTF_8));
		AtomicBoolean ended = new AtomicBoolean();
		Thread end = new Thread(() -> ended.set(endWithin(response, Duration.ofMinutes(1))));
		end.start();
		await().until(() -> end.getState() == Thread.State.TIMED_WAITING);

		body.write('\n');

		end.join(TimeUnit.SECONDS.toMillis(10));
		assertThat(ended).isTrue();
		assertThatIOException().isThrownBy(() -> body.write('x'));
		assertThat(this.server.content()).isEqualTo("data:tick\n\n");
	}

	@Test
	void aStreamWrittenThroughTheWriterEndsBetweenEventsAndThenReportsAnError() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		PrintWriter writer = response.getWriter();
		writer.print("data:tick\r\n");
		assertThat(response.end(10, TimeUnit.MILLISECONDS)).isFalse();
		writer.print("\r\n");

		assertThat(response.end(0, TimeUnit.SECONDS)).isTrue();

		writer.print("data:late\n\n");
		assertThat(writer.checkError()).isTrue();
		assertThat(this.server.content()).isEqualTo("data:tick\r\n\r\n");
	}

	@Test
	void theWriterReportsAClientThatWentAway() throws Exception {
		this.server.loseClient();
		PrintWriter writer = new EventStreamResponse(this.server).getWriter();

		writer.print("data:tick\n\n");

		assertThat(writer.checkError()).isTrue();
	}

	@Test
	void endingWaitsForTheWriteInProgress() throws Exception {
		this.server.holdWrites();
		EventStreamResponse response = new EventStreamResponse(this.server);
		CompletableFuture<Void> write = writeInBackground(response.getOutputStream(), "data:tick\n\n");
		assertThat(this.server.writing.await(10, TimeUnit.SECONDS)).isTrue();

		assertThat(response.end(10, TimeUnit.MILLISECONDS)).isFalse();
		CompletableFuture<Boolean> end = endInBackground(response, Duration.ofMinutes(1));
		this.server.releaseWrites();

		assertThat(end.get(10, TimeUnit.SECONDS)).isTrue();
		write.get(10, TimeUnit.SECONDS);
		assertThat(this.server.content()).isEqualTo("data:tick\n\n");
	}

	/**
	 * The drain never waits for the lock without a bound: a write that the application
	 * begins while the drain waits for the end of an event, and that blocks, does not
	 * hold the drain past its wait.
	 */
	@Test
	void aWriteThatBlocksWhileTheDrainWaitsForTheEndOfAnEventDoesNotHoldTheDrain() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();
		body.write("data:".getBytes(StandardCharsets.UTF_8));
		this.server.holdWrites();
		try {
			AtomicBoolean ended = new AtomicBoolean(true);
			Thread end = new Thread(() -> ended.set(endWithin(response, Duration.ofSeconds(2))));
			end.start();
			await().until(() -> end.getState() == Thread.State.TIMED_WAITING);
			CompletableFuture<Void> write = writeInBackground(body, "tick\n\n");
			assertThat(this.server.writing.await(10, TimeUnit.SECONDS)).isTrue();

			end.join(TimeUnit.SECONDS.toMillis(10));
			assertThat(end.isAlive()).isFalse();
			assertThat(ended).isFalse();
			assertThat(write).isNotDone();
		}
		finally {
			this.server.releaseWrites();
		}
	}

	@Test
	void aStreamWhoseWritesAreRefusedFailsItsNextWrite() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();

		response.refuseWrites();

		assertThatIOException().isThrownBy(() -> body.write('x'));
		assertThat(this.server.content()).isEmpty();
	}

	@Test
	void afterAResetTheApplicationGetsTheServersNewWriter() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		response.getWriter().print("data:");

		response.reset();
		response.getWriter().print("data:tick\n\n");

		assertThat(this.server.writersHandedOut).isEqualTo(2);
		assertThat(response.end(0, TimeUnit.SECONDS)).isTrue();
	}

	private static CompletableFuture<Void> writeInBackground(ServletOutputStream body, String events) {
		return TestThreads.runInBackground(() -> {
			try {
				body.write(events.getBytes(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
	}

	private static CompletableFuture<Boolean> endInBackground(EventStreamResponse response, Duration wait) {
		AtomicBoolean ended = new AtomicBoolean();
		return TestThreads.runInBackground(() -> ended.set(endWithin(response, wait))).thenApply((done) -> ended.get());
	}

	private static boolean endWithin(EventStreamResponse response, Duration wait) {
		try {
			return response.end(wait.toNanos(), TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Stands in for the server's response: records what is written and whether the body
	 * was closed, and can hold writes the way a client that reads slowly does.
	 */
	private static final class ServerResponse extends HttpServletResponseWrapper {

		private final MockHttpServletResponse response;

		private volatile CountDownLatch writing = new CountDownLatch(1);

		private volatile CountDownLatch writesReleased = new CountDownLatch(0);

		private volatile boolean bodyClosed;

		private volatile boolean clientGone;

		private int writersHandedOut;

		private int flushes;

		ServerResponse() {
			this(new MockHttpServletResponse());
		}

		private ServerResponse(MockHttpServletResponse response) {
			super(response);
			this.response = response;
		}

		void loseClient() {
			this.clientGone = true;
		}

		/**
		 * Holds the writes from now on, and lets the test await the first of them.
		 */
		void holdWrites() {
			this.writing = new CountDownLatch(1);
			this.writesReleased = new CountDownLatch(1);
		}

		void releaseWrites() {
			this.writesReleased.countDown();
		}

		String content() throws IOException {
			return this.response.getContentAsString();
		}

		/**
		 * Returns a writer that, like the server's, swallows errors, and fails each write
		 * once the client is gone.
		 */
		@Override
		public PrintWriter getWriter() throws IOException {
			this.writersHandedOut++;
			PrintWriter body = this.response.getWriter();
			return new PrintWriter(new Writer() {

				@Override
				public void write(char[] chars, int offset, int length) throws IOException {
					if (ServerResponse.this.clientGone) {
						throw new IOException("Connection reset by peer");
					}
					body.write(chars, offset, length);
				}

				@Override
				public void flush() {
					body.flush();
				}

				@Override
				public void close() {
					body.close();
				}

			});
		}

		@Override
		public ServletOutputStream getOutputStream() throws IOException {
			ServletOutputStream body = this.response.getOutputStream();
			return new ServletOutputStream() {

				@Override
				public void write(int b) throws IOException {
					write(new byte[] { (byte) b }, 0, 1);
				}

				@Override
				public void write(byte[] bytes, int offset, int length) throws IOException {
					ServerResponse.this.writing.countDown();
					try {
						ServerResponse.this.writesReleased.await(1, TimeUnit.MINUTES);
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					body.write(bytes, offset, length);
				}

				@Override
				public void flush() throws IOException {
					ServerResponse.this.flushes++;
					body.flush();
				}

				@Override
				public void close() throws IOException {
					ServerResponse.this.bodyClosed = true;
					body.close();
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setWriteListener(WriteListener listener) {
				}

			};
		}

	}

}
