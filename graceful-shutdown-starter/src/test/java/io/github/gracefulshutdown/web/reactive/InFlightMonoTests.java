package io.github.gracefulshutdown.web.reactive;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.Test;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.util.context.Context;
import reactor.util.context.ContextView;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link InFlightMono}.
 */
class InFlightMonoTests {

	private static final int SLOT = 7;

	private final List<Integer> released = new CopyOnWriteArrayList<>();

	@Test
	void whenTheChainCompletesThenTheSlotIsReleasedOnceAfterTheSubscriberHeardOfIt() {
		Sinks.Empty<Void> chain = Sinks.empty();
		RecordingSubscriber subscriber = new RecordingSubscriber(() -> this.released.isEmpty());
		InFlightMono.of(chain.asMono(), SLOT, this.released::add).subscribe(subscriber);
		assertThat(this.released).isEmpty();

		chain.tryEmitEmpty();

		assertThat(subscriber.signals).containsExactly("onSubscribe", "onComplete, not yet released");
		assertThat(this.released).containsExactly(SLOT);
	}

	@Test
	void whenTheChainFailsThenTheSubscriberGetsTheErrorAndTheSlotIsReleasedOnce() {
		Sinks.Empty<Void> chain = Sinks.empty();
		RecordingSubscriber subscriber = new RecordingSubscriber(() -> this.released.isEmpty());
		InFlightMono.of(chain.asMono(), SLOT, this.released::add).subscribe(subscriber);

		chain.tryEmitError(new IllegalStateException("boom"));

		assertThat(subscriber.signals).containsExactly("onSubscribe", "onError boom, not yet released");
		assertThat(this.released).containsExactly(SLOT);
	}

	@Test
	void whenTheSubscriberCancelsThenTheChainIsCancelledAndTheSlotIsReleasedOnce() {
		AtomicBoolean chainCancelled = new AtomicBoolean();
		Mono<Void> chain = Mono.<Void>never().doOnCancel(() -> chainCancelled.set(true));
		RecordingSubscriber subscriber = new RecordingSubscriber();
		InFlightMono.of(chain, SLOT, this.released::add).subscribe(subscriber);

		subscriber.subscription.get().cancel();
		subscriber.subscription.get().cancel();

		assertThat(chainCancelled).isTrue();
		assertThat(this.released).containsExactly(SLOT);
	}

	@Test
	void whenTheSubscriberCancelsAfterTheCompletionThenTheSlotIsNotReleasedAgain() {
		Sinks.Empty<Void> chain = Sinks.empty();
		RecordingSubscriber subscriber = new RecordingSubscriber();
		InFlightMono.of(chain.asMono(), SLOT, this.released::add).subscribe(subscriber);

		chain.tryEmitEmpty();
		subscriber.subscription.get().cancel();

		assertThat(this.released).containsExactly(SLOT);
	}

	@Test
	void whenTheSubscriberCancelsWhileTheChainCompletesThenTheSlotIsReleasedExactlyOnce() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(2);
		try {
			for (int round = 0; round < 2_000; round++) {
				List<Integer> released = new CopyOnWriteArrayList<>();
				Sinks.Empty<Void> chain = Sinks.empty();
				RecordingSubscriber subscriber = new RecordingSubscriber();
				InFlightMono.of(chain.asMono(), round, released::add).subscribe(subscriber);
				CyclicBarrier start = new CyclicBarrier(2);
				Future<?> cancel = threads.submit(() -> {
					start.await();
					subscriber.subscription.get().cancel();
					return null;
				});
				Future<?> complete = threads.submit(() -> {
					start.await();
					chain.tryEmitEmpty();
					return null;
				});
				cancel.get(10, TimeUnit.SECONDS);
				complete.get(10, TimeUnit.SECONDS);

				assertThat(released).as("round %d", round).containsExactly(round);
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void whenTheTableIsFullThenTheRequestIsStillReleasedOnce() {
		InFlightMono.of(Mono.empty(), -1, this.released::add).subscribe(new RecordingSubscriber());

		assertThat(this.released).containsExactly(-1);
	}

	@Test
	void whenTheChainReadsTheContextThenItSeesTheSubscribersContext() {
		AtomicReference<ContextView> seen = new AtomicReference<>();
		Mono<Void> chain = Mono.deferContextual((context) -> {
			seen.set(context);
			return Mono.empty();
		});

		InFlightMono.of(chain, SLOT, this.released::add).contextWrite(Context.of("tenant", "a")).block();

		assertThat(seen.get().<String>get("tenant")).isEqualTo("a");
		assertThat(this.released).containsExactly(SLOT);
	}

	@Test
	void whenSubscribedASecondTimeThenTheSecondSubscriberGetsAnErrorAndTheSlotIsReleasedOnce() {
		Mono<Void> mono = InFlightMono.of(Mono.empty(), SLOT, this.released::add);
		mono.subscribe(new RecordingSubscriber());
		RecordingSubscriber second = new RecordingSubscriber();

		mono.subscribe(second);

		assertThat(second.signals).containsExactly("onSubscribe",
				"onError DrainWebFilter's result allows only one subscriber");
		assertThat(this.released).containsExactly(SLOT);
	}

	@Test
	void whenSubscribingToTheChainThrowsThenTheSubscriberGetsTheErrorAndTheSlotIsReleasedOnce() {
		Mono<Void> chain = new Mono<>() {

			@Override
			public void subscribe(CoreSubscriber<? super Void> actual) {
				throw new IllegalStateException("broken");
			}

		};
		RecordingSubscriber subscriber = new RecordingSubscriber();

		InFlightMono.of(chain, SLOT, this.released::add).subscribe(subscriber);

		assertThat(subscriber.signals).containsExactly("onSubscribe", "onError broken");
		assertThat(this.released).containsExactly(SLOT);
	}

	@Test
	void whenScannedThenItNamesItsSubscriberAndUpstreamAndHowItEnded() {
		Mono<Void> chain = Mono.never();
		Mono<Void> mono = InFlightMono.of(chain, SLOT, this.released::add);
		Scannable scannable = Scannable.from(mono);
		assertThat(scannable.scan(Scannable.Attr.PARENT)).isSameAs(chain);
		RecordingSubscriber subscriber = new RecordingSubscriber();
		mono.subscribe(subscriber);

		assertThat(scannable.scanUnsafe(Scannable.Attr.ACTUAL)).isSameAs(subscriber);
		assertThat(scannable.scanUnsafe(Scannable.Attr.PARENT)).isInstanceOf(Subscription.class);
		assertThat(scannable.scan(Scannable.Attr.RUN_STYLE)).isEqualTo(Scannable.Attr.RunStyle.SYNC);
		assertThat(scannable.scan(Scannable.Attr.TERMINATED)).isFalse();
		subscriber.subscription.get().cancel();
		assertThat(scannable.scan(Scannable.Attr.CANCELLED)).isTrue();
		assertThat(scannable.scan(Scannable.Attr.TERMINATED)).isFalse();
	}

	/**
	 * Requests everything, records the signals it receives and keeps the subscription.
	 */
	private static final class RecordingSubscriber implements CoreSubscriber<Void> {

		private final List<String> signals = new CopyOnWriteArrayList<>();

		private final AtomicReference<Subscription> subscription = new AtomicReference<>();

		private final BooleanSupplier notYetReleased;

		RecordingSubscriber() {
			this(null);
		}

		RecordingSubscriber(BooleanSupplier notYetReleased) {
			this.notYetReleased = notYetReleased;
		}

		@Override
		public void onSubscribe(Subscription subscription) {
			this.subscription.set(subscription);
			this.signals.add("onSubscribe");
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(Void value) {
			this.signals.add("onNext");
		}

		@Override
		public void onError(Throwable error) {
			this.signals.add("onError " + error.getMessage() + releaseNote());
		}

		@Override
		public void onComplete() {
			this.signals.add("onComplete" + releaseNote());
		}

		private String releaseNote() {
			if (this.notYetReleased == null) {
				return "";
			}
			return this.notYetReleased.getAsBoolean() ? ", not yet released" : ", already released";
		}

	}

}
