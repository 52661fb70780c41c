package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Calls the listeners of one milestone of a drain, in order, so that no listener can hold
 * the drain past a deadline or keep the others from being called. The listeners run one
 * after the other on a thread of their own, which the caller waits for until the
 * deadline. A listener that throws (an {@link Error} included) is logged by name and the
 * next one is called. A listener still running at the deadline is logged by name and left
 * behind; the listeners after it are then called, still in order, on a fresh thread that
 * nobody waits for.
 * <p>
 * Costs one or two short-lived daemon threads per milestone: a few per drain.
 */
final class DrainListenerInvoker {

	private static final Log logger = LogFactory.getLog(DrainListenerInvoker.class);

	private final String milestone;

	private final List<DrainListener> listeners;

	private final BiConsumer<DrainListener, Drain> call;

	/**
	 * Creates an invoker for one milestone.
	 * @param milestone the name of the callback, as it appears in the log
	 * @param listeners the listeners to call, in order
	 * @param call how to call one listener
	 */
	DrainListenerInvoker(String milestone, List<DrainListener> listeners, BiConsumer<DrainListener, Drain> call) {
		this.milestone = milestone;
		this.listeners = listeners;
		this.call = call;
	}

	/**
	 * Calls every listener and returns once all have returned or the deadline has passed.
	 * @param drain the drain the milestone belongs to
	 * @param deadlineNanos the deadline, a reading of {@link System#nanoTime()}
	 * @return {@code true} if every listener returned in time
	 */
	boolean invoke(Drain drain, long deadlineNanos) {
		if (this.listeners.isEmpty()) {
			return true;
		}
		AtomicInteger next = new AtomicInteger();
		Sequence sequence = new Sequence(drain, next);
		sequence.start();
		if (sequence.awaitUntil(deadlineNanos)) {
			return true;
		}
		DrainListener blocked = sequence.current;
		if (blocked != null) {
			logger.warn("Drain listener " + blocked + " was still running in " + this.milestone + " "
					+ Durations.format(Duration.ofNanos(drain.elapsedNanos()))
					+ " after the drain started; the drain goes on without waiting for it");
			if (next.get() < this.listeners.size()) {
				new Sequence(drain, next).start();
			}
		}
		return false;
	}

	/**
	 * One thread that calls, in order, the listeners nobody has called yet. Sequences
	 * share the index of the next listener, so that each listener is called once even
	 * when a listener left behind returns late and its sequence goes on.
	 */
	private final class Sequence implements Runnable {

		private final Drain drain;

		private final AtomicInteger next;

		private final CountDownLatch done = new CountDownLatch(1);

		private volatile @Nullable DrainListener current;

		Sequence(Drain drain, AtomicInteger next) {
			this.drain = drain;
			this.next = next;
		}

		void start() {
			Thread thread = new Thread(this, "graceful-shutdown-" + DrainListenerInvoker.this.milestone);
			thread.setDaemon(true);
			thread.start();
		}

		@Override
		public void run() {
			try {
				List<DrainListener> listeners = DrainListenerInvoker.this.listeners;
				int index;
				while ((index = this.next.getAndIncrement()) < listeners.size()) {
					DrainListener listener = listeners.get(index);
					this.current = listener;
					callSafely(listener);
				}
				this.current = null;
			}
			finally {
				this.done.countDown();
			}
		}

		private void callSafely(DrainListener listener) {
			try {
				DrainListenerInvoker.this.call.accept(listener, this.drain);
			}
			catch (Throwable ex) {
				logger.warn("Drain listener " + listener + " failed in " + DrainListenerInvoker.this.milestone
						+ "; the drain goes on", ex);
			}
		}

		boolean awaitUntil(long deadlineNanos) {
			try {
				return this.done.await(Math.max(0, deadlineNanos - System.nanoTime()), TimeUnit.NANOSECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return this.done.getCount() == 0;
			}
		}

	}

}
