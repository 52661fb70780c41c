package io.github.gracefulshutdown.web.reactive;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.function.IntConsumer;

import org.jspecify.annotations.Nullable;
import org.reactivestreams.Subscription;
import reactor.core.CoreSubscriber;
import reactor.core.Scannable;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Operators;
import reactor.util.context.Context;

/**
 * What {@link DrainWebFilter} returns for a request: the rest of the filter chain,
 * followed until it completes, fails or is cancelled, at which point the request's slot
 * is released exactly once, whichever of these comes first. It does the work of
 * {@code doFinally} in one object instead of three: it is the {@code Mono}, the
 * subscriber of the rest of the chain, and the subscription its own subscriber sees.
 * <p>
 * That makes it good for one subscriber only, the server; a second one gets an error. It
 * passes the subscriber's {@link Context} up the chain and takes no part in fusion: a
 * {@code Mono<Void>} has no value to fuse.
 */
final class InFlightMono extends Mono<Void> implements CoreSubscriber<Void>, Subscription, Scannable {

	/**
	 * Values of {@link #slot} once released; a slot is {@code -1} (not remembered) or
	 * more.
	 */
	private static final int TERMINATED = Integer.MIN_VALUE;

	private static final int CANCELLED = Integer.MIN_VALUE + 1;

	private static final VarHandle SLOT;

	static {
		try {
			SLOT = MethodHandles.lookup().findVarHandle(InFlightMono.class, "slot", int.class);
		}
		catch (ReflectiveOperationException ex) {
			throw new ExceptionInInitializerError(ex);
		}
	}

	private final Mono<Void> source;

	private final IntConsumer releaseSlot;

	private volatile int slot;

	/**
	 * The server's subscriber, set when it subscribes, before any signal.
	 */
	private @Nullable CoreSubscriber<? super Void> actual;

	/**
	 * The subscription to the rest of the chain, set before the server's subscriber can
	 * use it.
	 */
	private @Nullable Subscription upstream;

	private InFlightMono(Mono<Void> source, int slot, IntConsumer releaseSlot) {
		this.source = source;
		// A plain write: the server publishes this object to other threads safely, and a
		// volatile write would cost every request a fence
		SLOT.set(this, slot);
		this.releaseSlot = releaseSlot;
	}

	/**
	 * Returns the rest of the chain, followed to its end.
	 * @param source the rest of the chain
	 * @param slot the slot of the request, or {@code -1}
	 * @param releaseSlot called with the slot once, when the rest of the chain completes,
	 * fails or is cancelled
	 * @return the mono to return from the filter
	 */
	static Mono<Void> of(Mono<Void> source, int slot, IntConsumer releaseSlot) {
		return onAssembly(new InFlightMono(source, slot, releaseSlot));
	}

	@Override
	public void subscribe(CoreSubscriber<? super Void> actual) {
		if (this.actual != null) {
			Operators.error(actual, new IllegalStateException("DrainWebFilter's result allows only one subscriber"));
			return;
		}
		this.actual = actual;
		try {
			this.source.subscribe(this);
		}
		catch (Throwable ex) {
			Operators.reportThrowInSubscribe(this, ex);
		}
	}

	@Override
	public void onSubscribe(Subscription subscription) {
		if (Operators.validate(this.upstream, subscription)) {
			this.upstream = subscription;
			this.actual.onSubscribe(this);
		}
	}

	@Override
	public void onNext(Void value) {
		this.actual.onNext(value);
	}

	@Override
	public void onError(Throwable error) {
		try {
			this.actual.onError(error);
		}
		finally {
			end(TERMINATED);
		}
	}

	@Override
	public void onComplete() {
		try {
			this.actual.onComplete();
		}
		finally {
			end(TERMINATED);
		}
	}

	@Override
	public void request(long n) {
		this.upstream.request(n);
	}

	@Override
	public void cancel() {
		try {
			this.upstream.cancel();
		}
		finally {
			end(CANCELLED);
		}
	}

	@Override
	public Context currentContext() {
		return this.actual.currentContext();
	}

	@Override
	public @Nullable Object scanUnsafe(Attr key) {
		if (key == Attr.PARENT) {
			return (this.upstream != null) ? this.upstream : this.source;
		}
		if (key == Attr.ACTUAL) {
			return this.actual;
		}
		if (key == Attr.TERMINATED) {
			return this.slot == TERMINATED;
		}
		if (key == Attr.CANCELLED) {
			return this.slot == CANCELLED;
		}
		if (key == Attr.RUN_STYLE) {
			return Attr.RunStyle.SYNC;
		}
		return null;
	}

	/**
	 * Releases the slot unless a signal that came first already did: a cancel may race
	 * the completion.
	 */
	private void end(int outcome) {
		int slot = this.slot;
		if (slot >= -1 && SLOT.compareAndSet(this, slot, outcome)) {
			this.releaseSlot.accept(slot);
		}
	}

}
