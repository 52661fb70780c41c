package io.github.gracefulshutdown.web.servlet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.test.TestThreads;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * Tests for {@link EventStreamResponse}, over a response that stands in for the server's.
 */
class EventStreamResponseTests {

	private final ServerResponse server = new ServerResponse();

	@Test
	void endingClosesTheBodyAfterWhatWasWrittenAndRefusesFurtherWrites() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();
		body.write("data:tick\n\n".getBytes(StandardCharsets.UTF_8));
		body.flush();

		assertThat(response.end(0, TimeUnit.SECONDS)).isTrue();

		assertThat(this.server.content()).isEqualTo("data:tick\n\n");
		assertThat(this.server.bodyClosed).isTrue();
		assertThatIOException().isThrownBy(() -> body.write('x')).withMessageContaining("shutdown drain");
		assertThatIOException().isThrownBy(body::flush);
		assertThatIOException().isThrownBy(response::flushBuffer);
		body.close();
		assertThat(this.server.content()).isEqualTo("data:tick\n\n");
	}

	@Test
	void endingABodyWrittenThroughTheWriterClosesTheWriter() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		PrintWriter writer = response.getWriter();
		writer.print("data:tick\n\n");

		assertThat(response.end(0, TimeUnit.SECONDS)).isTrue();

		assertThat(this.server.content()).isEqualTo("data:tick\n\n");
		writer.print("data:late\n\n");
		writer.flush();
		assertThat(writer.checkError()).isTrue();
		assertThat(this.server.content()).isEqualTo("data:tick\n\n");
	}

	@Test
	void endingABodyNotYetWrittenClosesItEmpty() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);

		assertThat(response.end(0, TimeUnit.SECONDS)).isTrue();

		assertThat(this.server.bodyClosed).isTrue();
		assertThat(this.server.content()).isEmpty();
	}

	@Test
	void endingWaitsForTheWriteInProgress() throws Exception {
		this.server.holdWrites();
		EventStreamResponse response = new EventStreamResponse(this.server);
		CompletableFuture<Void> write = TestThreads.runInBackground(() -> {
			try {
				response.getOutputStream().write("data:tick\n\n".getBytes(StandardCharsets.UTF_8));
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		});
		assertThat(this.server.writing.await(10, TimeUnit.SECONDS)).isTrue();

		assertThat(response.end(10, TimeUnit.MILLISECONDS)).isFalse();
		assertThat(this.server.bodyClosed).isFalse();
		CompletableFuture<Boolean> end = CompletableFuture.supplyAsync(() -> {
			try {
				return response.end(1, TimeUnit.MINUTES);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		});
		this.server.releaseWrites();

		assertThat(end.get(10, TimeUnit.SECONDS)).isTrue();
		write.get(10, TimeUnit.SECONDS);
		assertThat(this.server.content()).isEqualTo("data:tick\n\n");
		assertThat(this.server.bodyClosed).isTrue();
	}

	@Test
	void aStreamWhoseWritesAreRefusedFailsItsNextWrite() throws Exception {
		EventStreamResponse response = new EventStreamResponse(this.server);
		ServletOutputStream body = response.getOutputStream();

		response.refuseWrites();

		assertThatIOException().isThrownBy(() -> body.write('x'));
		assertThat(this.server.content()).isEmpty();
		assertThat(this.server.bodyClosed).isFalse();
	}

	/**
	 * Stands in for the server's response: records what is written and whether the body
	 * was closed, and can hold writes the way a client that reads slowly does.
	 */
	private static final class ServerResponse extends HttpServletResponseWrapper {

		private final MockHttpServletResponse response;

		private final CountDownLatch writing = new CountDownLatch(1);

		private volatile CountDownLatch writesReleased = new CountDownLatch(0);

		private volatile boolean bodyClosed;

		ServerResponse() {
			this(new MockHttpServletResponse());
		}

		private ServerResponse(MockHttpServletResponse response) {
			super(response);
			this.response = response;
		}

		void holdWrites() {
			this.writesReleased = new CountDownLatch(1);
		}

		void releaseWrites() {
			this.writesReleased.countDown();
		}

		String content() throws IOException {
			return this.response.getContentAsString();
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
