package io.github.gracefulshutdown.drain;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * One drain of the application, from its first trigger to its completion. It starts in
 * the {@link DrainPhase#PROPAGATION_WINDOW propagation window}. Obtained from
 * {@link DrainCoordinator}; thread-safe.
 */
public final class Drain {

	/**
	 * Time for the thread that ends the window to mark it ended once the window's
	 * listeners reached their deadline, before those waiting give up on it.
	 */
	private static final long HAND_OVER_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

	private final DrainTrigger trigger;

	private final Instant startedAt;

	private final long startNanos;

	private final long windowEndDeadlineNanos;

	private final CountDownLatch windowEnded = new CountDownLatch(1);

	private final Map<DrainPhase, PhaseTiming> timeline = new EnumMap<>(DrainPhase.class);

	private @Nullable DrainPhase currentPhase;

	private @Nullable Instant completedAt;

	private @Nullable WindowEndReason windowEndReason;

	private Duration windowExtension = Duration.ZERO;

	private @Nullable Duration windowFloor;

	private boolean endpointWatched;

	private @Nullable Duration endpointRemoval;

	Drain(DrainTrigger trigger, Clock clock) {
		this(trigger, clock, Duration.ZERO);
	}

	/**
	 * Creates a drain that starts now.
	 * @param trigger what starts it
	 * @param clock the clock that timestamps its timeline
	 * @param longestWindowEnd the longest it may take, from the start, until the window
	 * has ended and its listeners have been called
	 */
	Drain(DrainTrigger trigger, Clock clock, Duration longestWindowEnd) {
		this.trigger = trigger;
		this.startedAt = clock.instant();
		this.startNanos = System.nanoTime();
		this.windowEndDeadlineNanos = this.startNanos + longestWindowEnd.toNanos();
		this.timeline.put(DrainPhase.PROPAGATION_WINDOW,
				new PhaseTiming(DrainPhase.PROPAGATION_WINDOW, this.startedAt, null));
		this.currentPhase = DrainPhase.PROPAGATION_WINDOW;
	}

	/**
	 * Returns what started this drain.
	 * @return the first trigger
	 */
	public DrainTrigger trigger() {
		return this.trigger;
	}

	/**
	 * Returns when this drain started.
	 * @return the start time
	 */
	public Instant startedAt() {
		return this.startedAt;
	}

	/**
	 * Returns how long ago this drain started, in nanoseconds of
	 * {@link System#nanoTime()}.
	 * @return the elapsed time in nanoseconds
	 */
	public long elapsedNanos() {
		return nanosSinceStart(System.nanoTime());
	}

	/**
	 * Returns how long after the start of this drain the given moment was.
	 * @param nanoTime a reading of {@link System#nanoTime()}
	 * @return nanoseconds from the start of the drain to that moment, negative if it was
	 * before
	 */
	public long nanosSinceStart(long nanoTime) {
		return nanoTime - this.startNanos;
	}

	/**
	 * Returns the phase that runs now.
	 * @return the current phase, or {@code null} between two phases and once the drain
	 * has completed
	 */
	public synchronized @Nullable DrainPhase currentPhase() {
		return this.currentPhase;
	}

	/**
	 * Returns whether the propagation window has ended.
	 * @return {@code true} once the window has ended
	 */
	public boolean isWindowEnded() {
		return this.windowEnded.getCount() == 0;
	}

	/**
	 * Returns why the propagation window ended.
	 * @return the reason, or {@code null} while the window runs
	 */
	public synchronized @Nullable WindowEndReason windowEndReason() {
		return this.windowEndReason;
	}

	/**
	 * Returns how far the propagation window was extended past its floor because requests
	 * still arrived.
	 * @return the time the window lasted past its floor, zero while it runs or if it was
	 * not extended (it ended at its floor, had a fixed length, or failed)
	 */
	public synchronized Duration windowExtension() {
		return this.windowExtension;
	}

	/**
	 * Returns whether the propagation window watched for the platform to publish the
	 * removal of the application's endpoint.
	 * @return {@code true} if the window is endpoint-aware
	 */
	public synchronized boolean isEndpointWatched() {
		return this.endpointWatched;
	}

	/**
	 * Returns the floor the propagation window settled on, when the window decides it
	 * while it runs rather than at startup (the endpoint-aware window does, once the
	 * removal of the endpoint was published or the watch failed).
	 * @return the floor, counted from the start of the drain, or {@code null} if it is
	 * the window's {@link PropagationWindow#minLength()} or not known yet
	 */
	public synchronized @Nullable Duration windowFloor() {
		return this.windowFloor;
	}

	/**
	 * Returns how long after the start of the drain the platform published the removal of
	 * the application's endpoint: the part of the propagation lag that is the control
	 * plane's, before any router applies it.
	 * @return the time from the start of the drain to the published removal, or
	 * {@code null} if it was not watched, not seen, or the watch failed
	 */
	public synchronized @Nullable Duration endpointRemoval() {
		return this.endpointRemoval;
	}

	/**
	 * Waits until the propagation window has ended, at most until the latest moment it
	 * can end: the longest window, counted from the start of the drain, plus the time its
	 * listeners are given. Every caller that waits for the window waits for this same
	 * deadline, however late it joined the drain.
	 * @return {@code true} if the window ended, {@code false} if the deadline passed
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitWindowEnd() throws InterruptedException {
		long remaining = this.windowEndDeadlineNanos + HAND_OVER_NANOS - System.nanoTime();
		return this.windowEnded.await(Math.max(0, remaining), TimeUnit.NANOSECONDS);
	}

	/**
	 * Waits until the propagation window has ended.
	 * @param timeout the longest to wait
	 * @return {@code true} if the window ended, {@code false} if the wait timed out
	 * @throws InterruptedException if the waiting thread is interrupted
	 */
	public boolean awaitWindowEnd(Duration timeout) throws InterruptedException {
		return this.windowEnded.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
	}

	/**
	 * Returns whether this drain has completed.
	 * @return {@code true} once the drain has completed
	 */
	public synchronized boolean isCompleted() {
		return this.completedAt != null;
	}

	/**
	 * Returns when this drain completed.
	 * @return the completion time, or {@code null} while the drain runs
	 */
	public synchronized @Nullable Instant completedAt() {
		return this.completedAt;
	}

	/**
	 * Returns the phases that have started so far, in order.
	 * @return the timeline of this drain
	 */
	public synchronized List<PhaseTiming> timeline() {
		return List.copyOf(this.timeline.values());
	}

	/**
	 * Returns the time of the given phase.
	 * @param phase the phase
	 * @return its timing, or {@code null} if it has not started
	 */
	public synchronized @Nullable PhaseTiming timing(DrainPhase phase) {
		return this.timeline.get(phase);
	}

	/**
	 * Returns the current time on this drain's timeline: its start time plus the
	 * monotonic time elapsed since, so durations on the timeline never run backwards.
	 * @return the current time
	 */
	public Instant now() {
		return this.startedAt.plusNanos(elapsedNanos());
	}

	synchronized boolean beginPhase(DrainPhase phase) {
		if (this.completedAt != null || hasReached(phase)) {
			return false;
		}
		Instant now = now();
		endCurrentPhase(now);
		this.timeline.put(phase, new PhaseTiming(phase, now, null));
		this.currentPhase = phase;
		return true;
	}

	synchronized void watchEndpoint() {
		this.endpointWatched = true;
	}

	synchronized void endpointRemoved(Duration publishedAfter) {
		this.endpointRemoval = publishedAfter;
	}

	/**
	 * Records the floor the window settled on once it is known, when it differs from the
	 * window's {@link PropagationWindow#minLength()}: the window's extension is counted
	 * from it.
	 * @param floor the floor, counted from the start of the drain
	 */
	synchronized void moveWindowFloor(Duration floor) {
		this.windowFloor = floor;
	}

	synchronized void endWindow(WindowEndReason reason, Duration floor) {
		endPhase(DrainPhase.PROPAGATION_WINDOW);
		this.windowEndReason = reason;
		if (reason == WindowEndReason.QUIET || reason == WindowEndReason.CEILING) {
			Duration from = (this.windowFloor != null) ? this.windowFloor : floor;
			Duration extension = Duration.ofNanos(elapsedNanos()).minus(from);
			this.windowExtension = extension.isNegative() ? Duration.ZERO : extension;
		}
	}

	synchronized void endPhase(DrainPhase phase) {
		if (this.currentPhase == phase) {
			endCurrentPhase(now());
			this.currentPhase = null;
		}
	}

	/**
	 * Returns the latest moment the window ends, listeners included.
	 * @return a reading of {@link System#nanoTime()}
	 */
	long windowEndDeadlineNanos() {
		return this.windowEndDeadlineNanos;
	}

	void markWindowEnded() {
		this.windowEnded.countDown();
	}

	synchronized boolean complete() {
		if (this.completedAt != null) {
			return false;
		}
		Instant now = now();
		endCurrentPhase(now);
		this.currentPhase = null;
		this.completedAt = now;
		return true;
	}

	private boolean hasReached(DrainPhase phase) {
		return this.timeline.keySet().stream().anyMatch((started) -> started.compareTo(phase) >= 0);
	}

	private void endCurrentPhase(Instant now) {
		if (this.currentPhase != null) {
			PhaseTiming running = this.timeline.get(this.currentPhase);
			if (running != null && running.endedAt() == null) {
				this.timeline.put(this.currentPhase, new PhaseTiming(this.currentPhase, running.startedAt(), now));
			}
		}
	}

	@Override
	public String toString() {
		return "Drain[trigger=" + this.trigger + ", startedAt=" + this.startedAt + "]";
	}

}
