package io.github.gracefulshutdown.drain;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs the one drain of an application. Every trigger (context close, preStop hook,
 * endpoint, application code) calls {@link #startDrain(DrainTrigger)}: the first starts
 * the drain and its propagation window, later ones join the running drain.
 * <p>
 * Listeners are called through a {@link DrainListenerInvoker}: each milestone's listeners
 * get the listener timeout between them, so a listener that blocks or throws can neither
 * hold the drain nor keep the other listeners from being called.
 */
public final class DrainCoordinator {

	/**
	 * How long each milestone's listeners may take when no timeout is given.
	 */
	public static final Duration DEFAULT_LISTENER_TIMEOUT = Duration.ofSeconds(1);

	private static final int STACK_FRAMES_SHOWN = 12;

	private static final Log logger = LogFactory.getLog(DrainCoordinator.class);

	private final PropagationWindow window;

	private final Duration listenerTimeout;

	private final Supplier<List<DrainListener>> listenerSupplier;

	private final Clock clock;

	private final AtomicReference<@Nullable Drain> drain = new AtomicReference<>();

	private @Nullable FutureTask<List<DrainListener>> listeners;

	private @Nullable Thread listenerCreation;

	private final AtomicBoolean listenersLateLogged = new AtomicBoolean();

	private final AtomicBoolean listenersFailureLogged = new AtomicBoolean();

	private final List<Milestone> missedMilestones = new ArrayList<>();

	/**
	 * Creates a coordinator.
	 * @param window the propagation window every drain waits for
	 * @param listeners supplies the listeners to call, in order; asked once, on a thread
	 * of its own, when they are first needed
	 * @param clock the clock that timestamps the drain's timeline
	 */
	public DrainCoordinator(PropagationWindow window, Supplier<List<DrainListener>> listeners, Clock clock) {
		this(window, listeners, clock, DEFAULT_LISTENER_TIMEOUT);
	}

	/**
	 * Creates a coordinator.
	 * @param window the propagation window every drain waits for
	 * @param listeners supplies the listeners to call, in order; asked once, on a thread
	 * of its own, when they are first needed
	 * @param clock the clock that timestamps the drain's timeline
	 * @param listenerTimeout how long the listeners of one milestone may take between
	 * them before the drain goes on without waiting for them
	 */
	public DrainCoordinator(PropagationWindow window, Supplier<List<DrainListener>> listeners, Clock clock,
			Duration listenerTimeout) {
		if (listenerTimeout.isNegative()) {
			throw new IllegalArgumentException("listenerTimeout must not be negative, got " + listenerTimeout);
		}
		this.window = window;
		this.listenerSupplier = listeners;
		this.clock = clock;
		this.listenerTimeout = listenerTimeout;
	}

	/**
	 * Starts the drain, or joins it if it already started. The first trigger returns once
	 * the listeners have seen the start, or after the listener timeout if one of them
	 * blocks; readiness is down from the moment the drain starts. The propagation window
	 * runs on a thread of its own, counted from the start.
	 * @param trigger what asks for the drain
	 * @return the running drain
	 */
	public Drain startDrain(DrainTrigger trigger) {
		Drain fresh = new Drain(trigger, this.clock, longestWindowEnd());
		Drain running = this.drain.compareAndExchange(null, fresh);
		if (running != null) {
			if (logger.isDebugEnabled()) {
				logger.debug(trigger + " joins the drain started by " + running.trigger());
			}
			return running;
		}
		logger.info("Drain started by " + trigger + "; propagation window: " + this.window);
		long windowEndDeadline = fresh.windowEndDeadlineNanos();
		notify("drainStarted", DrainListener::drainStarted, fresh, windowEndDeadline - this.listenerTimeout.toNanos(),
				this.listenerTimeout, windowEndDeadline);
		if (this.window.maxLength().isZero()) {
			endWindow(fresh, WindowEndReason.FIXED);
		}
		else {
			Thread thread = new Thread(() -> runWindow(fresh), "graceful-shutdown-window");
			thread.setDaemon(true);
			thread.start();
		}
		return fresh;
	}

	/**
	 * Returns whether a drain has started. Cheap enough for every request.
	 * @return {@code true} from the start of the drain on
	 */
	public boolean isDraining() {
		return this.drain.get() != null;
	}

	/**
	 * Returns the state of the application with respect to its drain.
	 * @return the drain state
	 */
	public DrainState state() {
		Drain current = this.drain.get();
		if (current == null) {
			return DrainState.SERVING;
		}
		return current.isCompleted() ? DrainState.DRAINED : DrainState.DRAINING;
	}

	/**
	 * Returns the drain, if one has started.
	 * @return the running or completed drain
	 */
	public Optional<Drain> drain() {
		return Optional.ofNullable(this.drain.get());
	}

	/**
	 * Returns the propagation window drains wait for.
	 * @return the window
	 */
	public PropagationWindow window() {
		return this.window;
	}

	/**
	 * Returns the longest it takes, from the start of a drain, until its window has ended
	 * and the window's listeners have been called.
	 * @return the latest end of the window, counted from the start of the drain
	 * @see #longestWindowEnd(Duration, Duration)
	 */
	public Duration longestWindowEnd() {
		return longestWindowEnd(this.window.maxLength(), this.listenerTimeout);
	}

	/**
	 * Returns the longest it takes, from the start of a drain, until its window has ended
	 * and the window's listeners have been called: the window's listeners get the
	 * listener timeout after the later of the window's end and the end of the start's
	 * listeners, which get the listener timeout from the start.
	 * @param window the longest window
	 * @param listenerTimeout how long the listeners of one milestone may take
	 * @return the latest end of the window, counted from the start of the drain
	 */
	public static Duration longestWindowEnd(Duration window, Duration listenerTimeout) {
		Duration started = (window.compareTo(listenerTimeout) >= 0) ? window : listenerTimeout;
		return started.plus(listenerTimeout);
	}

	/**
	 * Records that the running drain entered the given phase. Does nothing when no drain
	 * runs or the drain is already past that phase. Called by the starter's integrations.
	 * @param phase the phase that starts
	 */
	public void beginPhase(DrainPhase phase) {
		Drain current = this.drain.get();
		if (current != null && current.beginPhase(phase)) {
			logger.debug("Drain phase " + phase + " started");
		}
	}

	/**
	 * Records that the running drain has finished and tells the listeners. Does nothing
	 * when no drain runs or it has already completed. Called by the starter's
	 * integrations.
	 */
	public void completeDrain() {
		completeDrain(this.listenerTimeout);
	}

	/**
	 * Records that the running drain has finished and tells the listeners, giving them
	 * the given time rather than the listener timeout. Does nothing when no drain runs or
	 * it has already completed.
	 * @param listenerTimeout how long the listeners may take between them
	 */
	public void completeDrain(Duration listenerTimeout) {
		Drain current = this.drain.get();
		if (current != null && current.complete()) {
			long deadline = System.nanoTime() + listenerTimeout.toNanos();
			notify("drainCompleted", DrainListener::drainCompleted, current, deadline, listenerTimeout, deadline);
		}
	}

	private void runWindow(Drain drain) {
		WindowEndReason reason = WindowEndReason.FAILED;
		try {
			reason = this.window.await(drain);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			reason = WindowEndReason.INTERRUPTED;
			logger.warn("Propagation window interrupted; ending it early");
		}
		catch (RuntimeException ex) {
			logger.warn("Propagation window failed; ending it early", ex);
		}
		finally {
			endWindow(drain, reason);
		}
	}

	private void endWindow(Drain drain, WindowEndReason reason) {
		drain.endWindow(reason, this.window.minLength());
		Duration extension = drain.windowExtension();
		logger.info("Propagation window ended after " + Durations.format(Duration.ofNanos(drain.elapsedNanos())) + " ("
				+ reason + (extension.isZero() ? "" : ", extended by " + Durations.format(extension)) + ")");
		try {
			long deadline = Math.min(System.nanoTime() + this.listenerTimeout.toNanos(),
					drain.windowEndDeadlineNanos());
			notify("windowEnded", DrainListener::windowEnded, drain, deadline, this.listenerTimeout, deadline);
		}
		finally {
			drain.markWindowEnded();
		}
	}

	/**
	 * Returns the listeners, asked for when the drain first needs them, on a thread of
	 * their own: creating them may create lazy beans, and a bean whose creation hangs
	 * must not hold the drain (its window, its deadline, the arming of the watchdog).
	 * When they cannot be had at all (a listener bean that fails to be created), the
	 * drain goes on without them; readiness stays down while the drain runs all the same.
	 * @param deadline until when to wait for them, a reading of {@link System#nanoTime()}
	 * @return the listeners, or {@code null} if they are still being created
	 */
	private @Nullable List<DrainListener> listeners(long deadline) {
		FutureTask<List<DrainListener>> listeners;
		Thread creation;
		synchronized (this) {
			if (this.listeners == null) {
				this.listeners = new FutureTask<>(() -> List.copyOf(this.listenerSupplier.get()));
				this.listenerCreation = new Thread(this.listeners, "graceful-shutdown-listeners");
				this.listenerCreation.setDaemon(true);
				this.listenerCreation.start();
			}
			listeners = this.listeners;
			creation = this.listenerCreation;
		}
		try {
			return listeners.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			if (this.listenersFailureLogged.compareAndSet(false, true)) {
				logger.error("The drain's listeners could not be had; the drain goes on without them", ex.getCause());
			}
		}
		catch (TimeoutException ex) {
			if (this.listenersLateLogged.compareAndSet(false, true)) {
				logger.error("The drain's listeners were still being created at the deadline of a milestone; the"
						+ " drain goes on, and they hear of the milestones they missed once they are there."
						+ " Creating them is stuck at:"
						+ Arrays.stream(creation.getStackTrace())
							.limit(STACK_FRAMES_SHOWN)
							.map((frame) -> System.lineSeparator() + "\tat " + frame)
							.collect(Collectors.joining()));
			}
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return List.of();
	}

	/**
	 * Tells the listeners of a milestone, once they are there: first of the milestones
	 * they missed while they were being created, in order, so that each listener sees
	 * every milestone in order.
	 * @param milestone the milestone
	 * @param call calls one listener
	 * @param drain the drain
	 * @param listenersDeadline until when to wait for the listeners to be created
	 * @param timeout how long the listeners may take, from when they are there
	 * @param latestDeadline the latest the listeners may run until
	 */
	private void notify(String milestone, BiConsumer<DrainListener, Drain> call, Drain drain, long listenersDeadline,
			Duration timeout, long latestDeadline) {
		List<DrainListener> listeners = listeners(listenersDeadline);
		List<Milestone> due;
		synchronized (this.missedMilestones) {
			if (listeners == null) {
				this.missedMilestones.add(new Milestone(milestone, call));
				return;
			}
			due = new ArrayList<>(this.missedMilestones);
			due.add(new Milestone(milestone, call));
			this.missedMilestones.clear();
		}
		long deadline = Math.min(System.nanoTime() + timeout.toNanos(), latestDeadline);
		for (Milestone next : due) {
			new DrainListenerInvoker(next.name(), listeners, next.call()).invoke(drain, deadline);
		}
	}

	private record Milestone(String name, BiConsumer<DrainListener, Drain> call) {
	}

}
