package io.github.gracefulshutdown.sample.grpc;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.Int64Value;
import io.github.gracefulshutdown.grpc.GrpcInFlightDrainListener;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.MethodDescriptor.MethodType;
import io.grpc.ServerServiceDefinition;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * A server stream that never ends by itself, standing for subscriptions and watches:
 * {@code sample.Ticks/Subscribe} takes the first tick to send as a
 * {@code google.protobuf.Int64Value} and sends numbered ticks, ten a second. The tick
 * numbers are the resume tokens: when the gRPC server has told its clients to go away,
 * the starter calls {@link #inFlightDrainStarted(Duration)}, which ends every stream
 * cleanly (status OK), and a client subscribes again from the tick after the last one it
 * received, on the connection to another instance that its channel opens.
 */
@Service
class TickService implements BindableService, GrpcInFlightDrainListener, DisposableBean {

	static final String SERVICE = "sample.Ticks";

	static final MethodDescriptor<Int64Value, Int64Value> SUBSCRIBE = MethodDescriptor
		.<Int64Value, Int64Value>newBuilder()
		.setType(MethodType.SERVER_STREAMING)
		.setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, "Subscribe"))
		.setRequestMarshaller(ProtoUtils.marshaller(Int64Value.getDefaultInstance()))
		.setResponseMarshaller(ProtoUtils.marshaller(Int64Value.getDefaultInstance()))
		.build();

	private static final Log logger = LogFactory.getLog(TickService.class);

	private static final Duration INTERVAL = Duration.ofMillis(100);

	private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "sample-ticks");
		thread.setDaemon(true);
		return thread;
	});

	private final Set<Subscription> subscriptions = ConcurrentHashMap.newKeySet();

	@Override
	public ServerServiceDefinition bindService() {
		return ServerServiceDefinition.builder(SERVICE)
			.addMethod(SUBSCRIBE, ServerCalls.asyncServerStreamingCall(this::subscribe))
			.build();
	}

	private void subscribe(Int64Value from, StreamObserver<Int64Value> ticks) {
		Subscription subscription = new Subscription((ServerCallStreamObserver<Int64Value>) ticks, from.getValue());
		((ServerCallStreamObserver<Int64Value>) ticks).setOnCancelHandler(() -> {
			this.subscriptions.remove(subscription);
			subscription.stop();
		});
		this.subscriptions.add(subscription);
		subscription.start(this.ticker);
	}

	/**
	 * Ends every open stream cleanly after its last tick, so that its client resumes
	 * elsewhere long before the deadline would cut the stream off with UNAVAILABLE.
	 * @param timeLeft how long the calls in flight may still run
	 */
	@Override
	public void inFlightDrainStarted(Duration timeLeft) {
		int ended = 0;
		for (Subscription subscription : this.subscriptions) {
			this.subscriptions.remove(subscription);
			if (subscription.end()) {
				ended++;
			}
		}
		logger.info("Ended " + ended + " tick streams; their clients resume from their next tick elsewhere");
	}

	@Override
	public void destroy() {
		this.ticker.shutdownNow();
	}

	/**
	 * One open stream. Its ticks are sent on the ticker thread and its end on the drain's
	 * thread: a {@link StreamObserver} is not thread-safe, so both take the
	 * subscription's lock.
	 */
	private static final class Subscription {

		private final ServerCallStreamObserver<Int64Value> ticks;

		private long next;

		private boolean stopped;

		private @Nullable ScheduledFuture<?> schedule;

		Subscription(ServerCallStreamObserver<Int64Value> ticks, long first) {
			this.ticks = ticks;
			this.next = first;
		}

		synchronized void start(ScheduledExecutorService ticker) {
			if (!this.stopped) {
				this.schedule = ticker.scheduleAtFixedRate(this::tick, 0, INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
			}
		}

		private synchronized void tick() {
			if (!this.stopped) {
				this.ticks.onNext(Int64Value.of(this.next++));
			}
		}

		/**
		 * Stops ticking and completes the stream.
		 * @return whether the stream was still open
		 */
		synchronized boolean end() {
			if (this.stopped) {
				return false;
			}
			stop();
			this.ticks.onCompleted();
			return true;
		}

		/**
		 * Stops ticking, for a stream that has ended.
		 */
		synchronized void stop() {
			this.stopped = true;
			if (this.schedule != null) {
				this.schedule.cancel(false);
			}
		}

	}

}
