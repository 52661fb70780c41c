package io.github.gracefulshutdown.web.server;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

import io.github.gracefulshutdown.drain.RequestActivity;
import org.apache.catalina.Lifecycle;
import org.apache.catalina.LifecycleEvent;
import org.apache.catalina.LifecycleListener;
import org.apache.catalina.Service;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardThreadExecutor;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.apache.tomcat.util.threads.ThreadPoolExecutor;
import org.jspecify.annotations.Nullable;

/**
 * Lets Tomcat's worker threads finish the responses of requests that are over before the
 * connector stops and closes its connections. Tomcat writes the rest of a response (what
 * its buffer still holds, the end of a chunked body, HTTP/2 trailers such as a gRPC
 * call's status) after the application, the drain and Spring Boot's graceful shutdown
 * have all seen the request end; a connector that stops in that instant cuts the response
 * off. So before the connector stops, this waits, within its timeout, while more worker
 * threads are busy than requests are in flight: a thread busy with a request still in
 * flight (one stuck past the in-flight deadline, say) is not waited for. Each request in
 * flight counts as one such thread, whether it holds one or waits asynchronously, so
 * after a deadline that cut requests off a response finishing beside them may go unwaited
 * for. Executors that do not say how many of their threads are busy (Tomcat's virtual
 * thread executor) are not waited for. The connectors of one server, which stop one after
 * the other, share the wait: it ends at most its timeout after the first of them began to
 * stop, until a connector starts again.
 */
final class TomcatResponseFinishWait implements LifecycleListener {

	private static final Log logger = LogFactory.getLog(TomcatResponseFinishWait.class);

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

	private final RequestActivity requests;

	private final Duration timeout;

	/**
	 * The clock a test sets; {@link System#nanoTime()} when {@code null}.
	 */
	private final @Nullable LongSupplier clock;

	/**
	 * The server whose connectors are stopping; guarded by this.
	 */
	private @Nullable Service stoppingService;

	/**
	 * When the wait of the stopping server's connectors ends; guarded by this.
	 */
	private long deadlineNanos;

	TomcatResponseFinishWait(RequestActivity requests, Duration timeout) {
		this(requests, timeout, null);
	}

	TomcatResponseFinishWait(RequestActivity requests, Duration timeout, @Nullable LongSupplier clock) {
		this.requests = requests;
		this.timeout = timeout;
		this.clock = clock;
	}

	@Override
	public void lifecycleEvent(LifecycleEvent event) {
		if (Lifecycle.BEFORE_STOP_EVENT.equals(event.getType())
				&& event.getLifecycle() instanceof Connector connector) {
			IntSupplier busyThreads = busyThreads(connector.getProtocolHandler().getExecutor());
			if (busyThreads != null) {
				awaitResponsesFinished(busyThreads, deadline(connector.getService()));
			}
		}
		else if (Lifecycle.AFTER_START_EVENT.equals(event.getType())) {
			started();
		}
	}

	/**
	 * A connector started again (the context was stopped and started): the next stop of
	 * the server's connectors waits anew.
	 */
	private synchronized void started() {
		this.stoppingService = null;
	}

	private synchronized long deadline(@Nullable Service service) {
		if (service == null || service != this.stoppingService) {
			this.stoppingService = service;
			this.deadlineNanos = nanoTime() + this.timeout.toNanos();
		}
		return this.deadlineNanos;
	}

	private void awaitResponsesFinished(IntSupplier busyThreads, long deadline) {
		long finishing;
		while ((finishing = busyThreads.getAsInt() - this.requests.inFlight()) > 0) {
			if (deadline - nanoTime() <= 0 || Thread.currentThread().isInterrupted()) {
				logger.warn((finishing == 1)
						? "1 Tomcat worker thread was still busy, with no request in flight, when the connector"
								+ " stopped: a response it was finishing may have been cut off"
						: finishing + " Tomcat worker threads were still busy, with no request in flight, when the"
								+ " connector stopped: responses they were finishing may have been cut off");
				return;
			}
			LockSupport.parkNanos(POLL_NANOS);
		}
	}

	private long nanoTime() {
		LongSupplier clock = this.clock;
		return (clock != null) ? clock.getAsLong() : System.nanoTime();
	}

	private static @Nullable IntSupplier busyThreads(@Nullable Executor executor) {
		if (executor instanceof ThreadPoolExecutor pool) {
			return pool::getActiveCount;
		}
		if (executor instanceof StandardThreadExecutor pool) {
			return pool::getActiveCount;
		}
		if (executor instanceof java.util.concurrent.ThreadPoolExecutor pool) {
			return pool::getActiveCount;
		}
		return null;
	}

}
