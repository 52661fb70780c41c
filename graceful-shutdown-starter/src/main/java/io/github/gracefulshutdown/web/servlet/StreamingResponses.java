package io.github.gracefulshutdown.web.servlet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

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
 * A stream is ended between two of the application's events (see
 * {@link EventStreamResponse}), then completed. One whose event is still being written
 * after {@link #WRITE_WAIT} writes to a client that reads too slowly or has stopped
 * reading: its writes are refused and it is completed at once, which the server may do by
 * closing its connection.
 */
public final class StreamingResponses implements StreamingResponseStats {

	/**
	 * How long the drain waits for the events being written before it completes the
	 * streams still writing one.
	 */
	static final Duration WRITE_WAIT = Duration.ofSeconds(1);

	/**
	 * How long the drain waits for one stream's event at a time, before it looks at the
	 * next stream still writing one.
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
		if (this.closing) {
			end(List.of(stream));
		}
	}

	/**
	 * Ends every event stream in flight, and from now on every new one.
	 */
	void completeAll() {
		this.closing = true;
		Ended ended = end(List.copyOf(this.open));
		if (ended.streams() > 0) {
			logger.info(ended.summary());
		}
	}

	/**
	 * Ends the given streams, each once the event being written is complete, and
	 * completes those still writing one when the wait is over. A stream that finishes
	 * meanwhile is left alone. Stops waiting when interrupted.
	 */
	private Ended end(List<OpenStream> streams) {
		int ended = 0;
		List<OpenStream> writing = new ArrayList<>();
		for (OpenStream stream : streams) {
			if (!endBetweenEvents(stream, 0)) {
				writing.add(stream);
			}
			else if (complete(stream)) {
				ended++;
			}
		}
		long deadline = System.nanoTime() + this.writeWait.toNanos();
		while (!writing.isEmpty() && deadline - System.nanoTime() > 0 && !Thread.currentThread().isInterrupted()) {
			for (Iterator<OpenStream> each = writing.iterator(); each.hasNext();) {
				OpenStream stream = each.next();
				long wait = Math.min(WRITE_WAIT_SLICE_NANOS, Math.max(0, deadline - System.nanoTime()));
				if (endBetweenEvents(stream, wait)) {
					each.remove();
					if (complete(stream)) {
						ended++;
					}
				}
			}
		}
		int endedWhileWriting = 0;
		for (OpenStream stream : writing) {
			boolean betweenEvents = endBetweenEvents(stream, 0);
			if (!betweenEvents) {
				stream.response().refuseWrites();
			}
			if (complete(stream)) {
				ended++;
				if (!betweenEvents) {
					endedWhileWriting++;
				}
			}
		}
		return new Ended(ended, endedWhileWriting);
	}

	private static boolean endBetweenEvents(OpenStream stream, long waitNanos) {
		try {
			return stream.response().end(waitNanos, TimeUnit.NANOSECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Completes a stream's request, unless it is over already.
	 * @return whether the stream was completed
	 */
	private boolean complete(OpenStream stream) {
		if (!this.open.remove(stream)) {
			return false;
		}
		try {
			stream.context().complete();
			this.completedByDrain.increment();
			return true;
		}
		catch (RuntimeException ex) {
			logger.debug("Event stream already finished", ex);
			return false;
		}
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

	}

	/**
	 * How many streams the drain ended, and how many of them while they were still
	 * writing an event.
	 */
	private record Ended(int streams, int whileWriting) {

		String summary() {
			String summary = "Ended " + this.streams + " event " + ((this.streams == 1) ? "stream" : "streams");
			if (this.whileWriting == 0) {
				return summary;
			}
			return summary + ", " + this.whileWriting + " of them while still writing an event, to clients that"
					+ " read too slowly or had stopped reading";
		}

	}

	/**
	 * Stops tracking a stream once it is over, whatever ended it, and refuses the
	 * application's writes to it.
	 */
	private final class Untracker implements AsyncListener {

		private final OpenStream stream;

		Untracker(OpenStream stream) {
			this.stream = stream;
		}

		@Override
		public void onComplete(AsyncEvent event) {
			StreamingResponses.this.open.remove(this.stream);
			this.stream.response().refuseWrites();
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
