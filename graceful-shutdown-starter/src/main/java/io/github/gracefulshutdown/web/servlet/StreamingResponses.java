package io.github.gracefulshutdown.web.servlet;

import io.github.gracefulshutdown.web.StreamingResponseStats;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.http.HttpServletRequest;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The server-sent event streams in flight, which would otherwise hold the web server's
 * graceful phase until it times out. During the drain they are completed, so that their
 * clients see the stream end cleanly and reconnect, through their load balancer,
 * elsewhere, resuming where they were ({@code Last-Event-ID}).
 */
public final class StreamingResponses implements StreamingResponseStats {

	private static final Log logger = LogFactory.getLog(StreamingResponses.class);

	private final Set<AsyncContext> open = ConcurrentHashMap.newKeySet();

	private final LongAdder completedByDrain = new LongAdder();

	private volatile boolean closing;

	/**
	 * Tracks the streaming response of a request that has gone asynchronous. Once the
	 * streams are being completed, a new one is completed at once.
	 * @param request the request
	 */
	void register(HttpServletRequest request) {
		if (!request.isAsyncStarted()) {
			return;
		}
		AsyncContext stream = request.getAsyncContext();
		stream.addListener(new Untracker(stream));
		this.open.add(stream);
		if (this.closing) {
			complete(stream);
		}
	}

	/**
	 * Completes every streaming response in flight, and from now on every new one.
	 */
	void completeAll() {
		this.closing = true;
		int count = this.open.size();
		this.open.forEach(this::complete);
		if (count > 0) {
			logger.info("Completed " + count + " streaming " + ((count == 1) ? "response" : "responses"));
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

	private void complete(AsyncContext stream) {
		if (this.open.remove(stream)) {
			try {
				stream.complete();
				this.completedByDrain.increment();
			}
			catch (RuntimeException ex) {
				logger.debug("Streaming response already finished", ex);
			}
		}
	}

	/**
	 * Stops tracking a stream once it is over, whatever ended it.
	 */
	private final class Untracker implements AsyncListener {

		private final AsyncContext stream;

		Untracker(AsyncContext stream) {
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
