package io.github.gracefulshutdown.web.servlet;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The response to a request for a server-sent event stream, whose body the drain ends
 * between two of the application's writes, never during one. The application writes its
 * events from a thread of its own; ending the stream from another thread while one is
 * being written breaks it: Jetty aborts the response, and Tomcat finishes it while the
 * write goes on. Either way the client sees a cut connection instead of an end.
 * <p>
 * Each write, flush and close holds a fair lock, so that an end waiting for the write in
 * progress goes before the next one. Once the body is ended, the application's writes
 * fail with an {@link IOException}, as they do when a client goes away.
 */
final class EventStreamResponse extends HttpServletResponseWrapper {

	private static final Log logger = LogFactory.getLog(EventStreamResponse.class);

	private final ReentrantLock writing = new ReentrantLock(true);

	private volatile boolean ended;

	private volatile @Nullable ServletOutputStream body;

	private @Nullable ServletOutputStream outputStream;

	private volatile @Nullable PrintWriter bodyWriter;

	private @Nullable PrintWriter writer;

	EventStreamResponse(HttpServletResponse response) {
		super(response);
	}

	@Override
	public ServletOutputStream getOutputStream() throws IOException {
		if (this.outputStream == null) {
			this.body = super.getOutputStream();
			this.outputStream = new EndableOutputStream(this.body);
		}
		return this.outputStream;
	}

	@Override
	public PrintWriter getWriter() throws IOException {
		if (this.writer == null) {
			this.bodyWriter = super.getWriter();
			this.writer = new PrintWriter(new EndableWriter(this.bodyWriter));
		}
		return this.writer;
	}

	@Override
	public void flushBuffer() throws IOException {
		write(super::flushBuffer);
	}

	/**
	 * Ends the body once no write is in progress, as if the application had closed it.
	 * @param timeout how long to wait for a write in progress
	 * @param unit the unit of the timeout
	 * @return {@code true} if the body is ended, {@code false} if a write was still in
	 * progress when the timeout ran out
	 * @throws InterruptedException if interrupted while waiting
	 */
	boolean end(long timeout, TimeUnit unit) throws InterruptedException {
		if (!this.writing.tryLock(timeout, unit)) {
			return false;
		}
		try {
			if (!this.ended) {
				this.ended = true;
				closeBody();
			}
			return true;
		}
		finally {
			this.writing.unlock();
		}
	}

	/**
	 * Refuses the application's writes from now on without waiting for the one in
	 * progress, for a stream whose client has stopped reading.
	 */
	void refuseWrites() {
		this.ended = true;
	}

	private void closeBody() {
		PrintWriter bodyWriter = this.bodyWriter;
		ServletOutputStream body = this.body;
		try {
			if (bodyWriter != null) {
				bodyWriter.close();
			}
			else {
				((body != null) ? body : super.getOutputStream()).close();
			}
		}
		catch (IOException ex) {
			logger.debug("Event stream's client went away as it was ended", ex);
		}
	}

	private void write(BodyWrite write) throws IOException {
		this.writing.lock();
		try {
			if (this.ended) {
				throw new IOException("Event stream ended by the shutdown drain");
			}
			write.run();
		}
		finally {
			this.writing.unlock();
		}
	}

	private void close(BodyWrite close) throws IOException {
		this.writing.lock();
		try {
			if (!this.ended) {
				close.run();
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
			EventStreamResponse.this.write(() -> this.body.write(b));
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			EventStreamResponse.this.write(() -> this.body.write(bytes, offset, length));
		}

		@Override
		public void flush() throws IOException {
			EventStreamResponse.this.write(this.body::flush);
		}

		@Override
		public void close() throws IOException {
			EventStreamResponse.this.close(this.body::close);
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
			EventStreamResponse.this.write(() -> this.body.write(chars, offset, length));
		}

		@Override
		public void flush() throws IOException {
			EventStreamResponse.this.write(this.body::flush);
		}

		@Override
		public void close() throws IOException {
			EventStreamResponse.this.close(this.body::close);
		}

	}

}
