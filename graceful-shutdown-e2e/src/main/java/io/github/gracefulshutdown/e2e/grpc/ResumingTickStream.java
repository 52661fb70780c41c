package io.github.gracefulshutdown.e2e.grpc;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Int64Value;
import io.github.gracefulshutdown.e2e.load.Outcome;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.grpc.CallOptions;
import io.grpc.Channel;
import io.grpc.ClientCall;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import io.grpc.stub.StreamObserver;
import org.jspecify.annotations.Nullable;

/**
 * A long-lived subscription to the gRPC sample's ticks, as a client of a watch or a feed
 * keeps one: one server stream at a time, and whenever a stream ends, however it ends, a
 * new one from the tick after the last one received: at once after a stream ended with
 * {@code OK}, a server that handed the client on cleanly, and after a short back-off
 * after any other status, a stream cut off. Each new stream waits for a ready pod
 * ({@code waitForReady}) rather than failing while none is.
 * <p>
 * The stream's callbacks run on the channel's threads and {@link #stop()} on the
 * harness's: they share one lock.
 */
final class ResumingTickStream {

	private static final Duration BACK_OFF = Duration.ofMillis(100);

	private final Channel channel;

	private final ScheduledExecutorService scheduler;

	private final List<RequestRecord> streams = new ArrayList<>();

	private boolean stopped;

	private long nextTick;

	private @Nullable Subscription current;

	/**
	 * Creates a subscription that is not open yet.
	 * @param channel the channel that balances between the pods
	 * @param scheduler where a subscription after a stream cut off waits for its
	 * back-off; it must run until {@link #stop()} has returned
	 */
	ResumingTickStream(Channel channel, ScheduledExecutorService scheduler) {
		this.channel = channel;
		this.scheduler = scheduler;
	}

	/**
	 * Opens the first stream.
	 */
	void start() {
		subscribe();
	}

	/**
	 * Cancels the open stream and returns how every stream that ended before ended.
	 * @return one record per stream that ended, in the order they were opened
	 */
	List<RequestRecord> stop() {
		Subscription open;
		synchronized (this) {
			open = this.stopped ? null : this.current;
			this.stopped = true;
		}
		if (open != null) {
			open.call.cancel("The load stopped", null);
		}
		synchronized (this) {
			return List.copyOf(this.streams);
		}
	}

	/**
	 * Opens a stream from the next tick. The call starts with the lock held, so that
	 * {@link #stop()} never cancels a call that has not started; its callbacks run on the
	 * channel's executor, never inside {@code start}.
	 */
	private synchronized void subscribe() {
		if (this.stopped) {
			return;
		}
		Subscription subscription = new Subscription(
				this.channel.newCall(SampleMethods.SUBSCRIBE, CallOptions.DEFAULT.withWaitForReady()), this.nextTick);
		this.current = subscription;
		ClientCalls.asyncServerStreamingCall(subscription.call, Int64Value.of(subscription.firstTick), subscription);
	}

	/**
	 * One stream, from its first tick on.
	 */
	private final class Subscription implements StreamObserver<Int64Value> {

		private final ClientCall<Int64Value, Int64Value> call;

		private final long firstTick;

		private final long startNanos = System.nanoTime();

		Subscription(ClientCall<Int64Value, Int64Value> call, long firstTick) {
			this.call = call;
			this.firstTick = firstTick;
		}

		@Override
		public void onNext(Int64Value tick) {
			synchronized (ResumingTickStream.this) {
				ResumingTickStream.this.nextTick = Math.max(ResumingTickStream.this.nextTick, tick.getValue() + 1);
			}
		}

		@Override
		public void onError(Throwable failure) {
			ended(Status.fromThrowable(failure));
		}

		@Override
		public void onCompleted() {
			ended(Status.OK);
		}

		private void ended(Status status) {
			synchronized (ResumingTickStream.this) {
				if (ResumingTickStream.this.stopped) {
					return;
				}
				String detail = status.isOk() ? "" : status.getCode()
						+ ((status.getDescription() != null) ? ": " + status.getDescription() : "") + "; ";
				ResumingTickStream.this.streams.add(record(status, detail));
				if (!status.isOk()) {
					// Scheduled with the lock held: stop() sets stopped first, and the
					// scheduler outlives it
					ResumingTickStream.this.scheduler.schedule(ResumingTickStream.this::subscribe, BACK_OFF.toNanos(),
							TimeUnit.NANOSECONDS);
					return;
				}
			}
			subscribe();
		}

		/**
		 * Describes how this stream ended; called with the lock held.
		 */
		private RequestRecord record(Status status, String detail) {
			Outcome outcome = status.isOk() ? Outcome.SUCCESS : Outcome.GRPC_ERROR;
			long lastTick = ResumingTickStream.this.nextTick - 1;
			String ticks = (lastTick >= this.firstTick) ? "ticks " + this.firstTick + " to " + lastTick
					: "no tick from " + this.firstTick;
			return new RequestRecord(this.startNanos, System.nanoTime(), outcome, status.getCode().value(), null,
					detail + ticks);
		}

	}

}
