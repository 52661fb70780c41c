package io.github.gracefulshutdown.web.servlet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.IntUnaryOperator;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.jspecify.annotations.Nullable;

/**
 * The response to a request for a server-sent event stream, which the drain ends between
 * two of the application's events, never during one. The application writes its events
 * from a thread of its own; a stream completed from another thread in the middle of a
 * write breaks (Jetty aborts the response, Tomcat finishes it while the write goes on),
 * and one completed in the middle of an event hands the client part of an event, which
 * some clients deliver as if it were whole.
 * <p>
 * Each write, flush and close holds a lock, and the response remembers whether what was
 * written so far ends with a blank line, the end of an event. The drain ends the stream
 * when it finds it between two events, or asks the application's thread to end it as it
 * writes the end of the event in progress; it never waits for the lock itself, so a write
 * to a client that has stopped reading cannot hold it. Once the stream is ended, the
 * application's writes fail with an {@link IOException} (through a writer:
 * {@link PrintWriter#checkError()}), as when a client goes away, its flushes do nothing,
 * and the server finishes the body when the request is completed.
 */
final class EventStreamResponse extends HttpServletResponseWrapper {

	/**
	 * The last three bytes or characters written, one per byte of an {@code int}, when
	 * nothing has been written yet: as if a blank line came before the first event.
	 */
	private static final int NOTHING_WRITTEN = ('\n' << 16) | ('\n' << 8) | '\n';

	private final ReentrantLock writing = new ReentrantLock();

	private final CountDownLatch endedByWriter = new CountDownLatch(1);

	private volatile boolean endRequested;

	private volatile boolean ended;

	private int lastWritten = NOTHING_WRITTEN;

	private @Nullable ServletOutputStream outputStream;

	private @Nullable PrintWriter writer;

	EventStreamResponse(HttpServletResponse response) {
		super(response);
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		ServletOutputStream outputStream = this.outputStream;
		if (outputStream == null) {
			outputStream = new EndableOutputStream(super.getOutputStream());
			this.outputStream = outputStream;
		}
		return outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		PrintWriter writer = this.writer;
		if (writer == null) {
			writer = new PrintWriter(new EndableWriter(super.getWriter()));
			this.writer = writer;
		}
		return writer;
	}

	@Override
	public void flushBuffer() throws IOException {
		unlessEnded(super::flushBuffer);
	}

	/**
	 * Resets the response, unless an event is being written: a reset waits for no write.
	 * @throws IllegalStateException if an event is being written, or if the response is
	 * committed
	 */
	@Override
	public void reset() {
		lockForReset();
		try {
			super.reset();
			this.lastWritten = NOTHING_WRITTEN;
			this.outputStream = null;
			this.writer = null;
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * Resets the buffer, unless an event is being written: a reset waits for no write.
	 * @throws IllegalStateException if an event is being written, or if the response is
	 * committed
	 */
	@Override
	public void resetBuffer() {
		lockForReset();
		try {
			super.resetBuffer();
			this.lastWritten = NOTHING_WRITTEN;
		}
		finally {
			this.writing.unlock();
		}
	}

	private void lockForReset() {
		if (!this.writing.tryLock()) {
			throw new IllegalStateException("Cannot reset an event stream while an event is being written");
		}
	}

	/**
	 * Ends the stream once the event being written, if any, is complete: from then on the
	 * application's writes fail.
	 * @param timeout how long to wait for the event being written
	 * @param unit the unit of the timeout
	 * @return {@code true} if the stream is ended, {@code false} if an event was still
	 * being written when the timeout ran out
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean end(long timeout, TimeUnit unit) throws InterruptedException {
		this.endRequested = true;
		if (endIfBetweenEvents()) {
			return true;
		}
		return timeout > 0 && (this.endedByWriter.await(timeout, unit) || endIfBetweenEvents());
	}

	private boolean endIfBetweenEvents() {
		if (!this.writing.tryLock()) {
			return this.ended;
		}
		try {
			if (this.ended || isBetweenEvents()) {
				this.ended = true;
				return true;
			}
			return false;
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * Refuses the application's writes from now on, without waiting for the event being
	 * written: for a stream that is over, or whose client has stopped reading.
	 */
	void refuseWrites() {
		this.ended = true;
	}

	/**
	 * Returns whether what was written so far ends with a blank line, however its lines
	 * end ({@code \n}, {@code \r\n} or {@code \r}). Called with the lock held.
	 */
	private boolean isBetweenEvents() {
		int last = this.lastWritten & 0xFF;
		int beforeLast = (this.lastWritten >> 8) & 0xFF;
		if (beforeLast == '\r' && last == '\n') {
			return isLineBreak((this.lastWritten >> 16) & 0xFF);
		}
		return isLineBreak(last) && isLineBreak(beforeLast);
	}

	private static boolean isLineBreak(int unit) {
		return unit == '\n' || unit == '\r';
	}

	/**
	 * Remembers the last of the bytes or characters just written, and if they end an
	 * event of a stream the drain has asked to end, ends it. Called with the lock held.
	 */
	private void written(int length, IntUnaryOperator unitAt) {
		for (int i = Math.max(0, length - 3); i < length; i++) {
			int unit = unitAt.applyAsInt(i);
			this.lastWritten = ((this.lastWritten << 8) | (isLineBreak(unit) ? unit : 'x')) & 0xFFFFFF;
		}
		if (this.endRequested && isBetweenEvents()) {
			this.ended = true;
			this.endedByWriter.countDown();
		}
	}

	private void write(BodyWrite write) throws IOException {
		this.writing.lock();
		try {
			if (this.ended) {
				throw new IOException("Event stream ended");
			}
			write.run();
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * Runs a flush or a close of the body, unless the stream is ended: then the server
	 * flushes and closes it as the request completes.
	 */
	private void unlessEnded(BodyWrite flushOrClose) throws IOException {
		this.writing.lock();
		try {
			if (!this.ended) {
				flushOrClose.run();
			}
		}
		finally {
			this.writing.unlock();
		}
	}

	@FunctionalInterface
	private interface BodyWrite {

		void run() throws IOException;

	}

	private final class EndableOutputStream extends ServletOutputStream {

		private final ServletOutputStream body;

		EndableOutputStream(ServletOutputStream body) {
			this.body = body;
		}

		@Override
		public void write(int b) throws IOException {
			EventStreamResponse.this.write(() -> {
				this.body.write(b);
				written(1, (i) -> b & 0xFF);
			});
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			EventStreamResponse.this.write(() -> {
				this.body.write(bytes, offset, length);
				written(length, (i) -> bytes[offset + i] & 0xFF);
			});
		}

		@Override
		public void flush() throws IOException {
			EventStreamResponse.this.unlessEnded(this.body::flush);
		}

		@Override
		public void close() throws IOException {
			EventStreamResponse.this.unlessEnded(this.body::close);
		}

		@Override
		public boolean isReady() {
			return this.body.isReady();
		}

		@Override
		public void setWriteListener(WriteListener listener) {
			this.body.setWriteListener(listener);
		}

	}

	private final class EndableWriter extends Writer {

		private final PrintWriter body;

		EndableWriter(PrintWriter body) {
			this.body = body;
		}

		@Override
		public void write(char[] chars, int offset, int length) throws IOException {
			EventStreamResponse.this.write(() -> {
				this.body.write(chars, offset, length);
				written(length, (i) -> chars[offset + i]);
			});
		}

		/**
		 * Flushes the server's writer, and fails when it has met an error, so that
		 * {@link PrintWriter#checkError()} on the application's writer, which flushes,
		 * reports a client that went away.
		 */
		@Override
		public void flush() throws IOException {
			EventStreamResponse.this.unlessEnded(() -> {
				this.body.flush();
				if (this.body.checkError()) {
					throw new IOException("Event stream's client went away");
				}
			});
		}

		@Override
		public void close() throws IOException {
			EventStreamResponse.this.unlessEnded(this.body::close);
		}

	}

}
