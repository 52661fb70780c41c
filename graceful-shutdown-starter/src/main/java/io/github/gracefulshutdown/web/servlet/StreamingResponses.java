package io.github.gracefulshutdown.web.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.github.gracefulshutdown.drain.Durations;
import io.github.gracefulshutdown.web.StreamingResponseStats;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The server-sent event streams in flight, which would otherwise hold the web server's
 * graceful phase until it times out. During the drain they are ended, so that their
 * clients see the stream end cleanly and reconnect, through their load balancer,
 * elsewhere, resuming where they were ({@code Last-Event-ID}).
 * <p>
 * A stream is ended between two of the application's writes (see
 * {@link EventStreamResponse}). One whose write is still in progress after
 * {@link #WRITE_WAIT} writes to a client that has stopped reading, and could not see an
 * end anyway: its writes are refused and it is completed at once, which the server may do
 * by closing its connection.
 */
public final class StreamingResponses implements StreamingResponseStats {

	/**
	 * How long the drain waits for the writes in progress before it completes the streams
	 * that are still writing.
	 */
	static final Duration WRITE_WAIT = Duration.ofSeconds(1);

	/**
	 * How long the drain waits for one stream's write at a time, before it tries the next
	 * stream that was writing.
	 */
	private static final long WRITE_WAIT_SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

	private static final Log logger = LogFactory.getLog(StreamingResponses.class);

	private final Set<OpenStream> open = ConcurrentHashMap.newKeySet();

	private final LongAdder completedByDrain = new LongAdder();

	private final Duration writeWait;

	private volatile boolean closing;

	StreamingResponses() {
		this(WRITE_WAIT);
	}

	StreamingResponses(Duration writeWait) {
		this.writeWait = writeWait;
	}

	/**
	 * Tracks the event stream of a request that has gone asynchronous. Once the streams
	 * are being ended, a new one is ended at once.
	 * @param request the request
	 * @param response the response that writes the stream
	 */
	void register(HttpServletRequest request, EventStreamResponse response) {
		if (!request.isAsyncStarted()) {
			return;
		}
		OpenStream stream = new OpenStream(request.getAsyncContext(), response);
		stream.context().addListener(new Untracker(stream));
		this.open.add(stream);
		if (this.closing && this.open.remove(stream)) {
			end(List.of(stream));
		}
	}

	/**
	 * Ends every event stream in flight, and from now on every new one.
	 */
	void completeAll() {
		this.closing = true;
		List<OpenStream> streams = new ArrayList<>(this.open.size());
		for (OpenStream stream : this.open) {
			if (this.open.remove(stream)) {
				streams.add(stream);
			}
		}
		int completedWhileWriting = end(streams);
		if (!streams.isEmpty()) {
			logger.info(summary(streams.size(), completedWhileWriting));
		}
	}

	private String summary(int ended, int completedWhileWriting) {
		String summary = "Ended " + ended + " event " + ((ended == 1) ? "stream" : "streams");
		if (completedWhileWriting == 0) {
			return summary;
		}
		return summary + "; " + completedWhileWriting + " completed while still writing after "
				+ Durations.format(this.writeWait) + ", to clients that had stopped reading";
	}

	/**
	 * Ends the given streams, each once its write in progress is done, and completes
	 * those still writing when the wait is over.
	 * @return how many streams were completed while still writing
	 */
	private int end(List<OpenStream> streams) {
		List<OpenStream> writing = new ArrayList<>();
		try {
			for (OpenStream stream : streams) {
				if (!stream.end(0)) {
					writing.add(stream);
				}
			}
			long deadline = System.nanoTime() + this.writeWait.toNanos();
			while (!writing.isEmpty() && deadline - System.nanoTime() > 0) {
				for (Iterator<OpenStream> each = writing.iterator(); each.hasNext();) {
					long wait = Math.min(WRITE_WAIT_SLICE_NANOS, Math.max(0, deadline - System.nanoTime()));
					if (each.next().end(wait)) {
						each.remove();
					}
				}
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		writing.forEach(OpenStream::completeWhileWriting);
		this.completedByDrain.add(streams.size());
		return writing.size();
	}

	/**
	 * Returns the number of streaming responses in flight.
	 * @return the open streams
	 */
	@Override
	public long getOpen() {
		return this.open.size();
	}

	/**
	 * Returns the number of streaming responses the drain completed.
	 * @return the streams completed by the drain
	 */
	@Override
	public long getCompletedByDrain() {
		return this.completedByDrain.sum();
	}

	/**
	 * An event stream in flight: its request's asynchronous context and the response that
	 * writes it.
	 */
	private record OpenStream(AsyncContext context, EventStreamResponse response) {

		/**
		 * Ends the stream once its write in progress, if any, is done.
		 * @return {@code true} if ended, {@code false} if still writing
		 */
		boolean end(long waitNanos) throws InterruptedException {
			if (!this.response.end(waitNanos, TimeUnit.NANOSECONDS)) {
				return false;
			}
			complete();
			return true;
		}

		void completeWhileWriting() {
			this.response.refuseWrites();
			complete();
		}

		private void complete() {
			try {
				this.context.complete();
			}
			catch (RuntimeException ex) {
				logger.debug("Event stream already finished", ex);
			}
		}

	}

	/**
	 * Stops tracking a stream once it is over, whatever ended it.
	 */
	private final class Untracker implements AsyncListener {

		private final OpenStream stream;

		Untracker(OpenStream stream) {
			this.stream = stream;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			StreamingResponses.this.open.remove(this.stream);
		}

		@Override
		public void onTimeout(AsyncEvent event) {
		}

		@Override
		public void onError(AsyncEvent event) {
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
