package io.github.gracefulshutdown.drain;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import java.util.function.Supplier;

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

	/**
	 * The least time the start of a drain waits for its listeners to be created, whatever
	 * the window and the listener timeout.
	 */
	private static final Duration LISTENER_CREATION_FLOOR = Duration.ofSeconds(1);

	private static final Log logger = LogFactory.getLog(DrainCoordinator.class);

	private final PropagationWindow window;

	private final Duration listenerTimeout;

	private final Supplier<List<DrainListener>> listenerSupplier;

	private final Clock clock;

	private final AtomicReference<@Nullable Drain> drain = new AtomicReference<>();

	private @Nullable List<DrainListener> listeners;

	private @Nullable FutureTask<List<DrainListener>> listenerCreation;

	private @Nullable Thread listenerCreationThread;

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
	 * blocks; when the listeners are slow to be created, it waits for them as long as the
	 * window may last and at least a second. Readiness is down from the moment the drain
	 * starts. The propagation window runs on a thread of its own, counted from the start.
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
		long startDeadline = fresh.windowEndDeadlineNanos() - this.listenerTimeout.toNanos();
		long creationDeadline = Math.max(startDeadline, System.nanoTime() + LISTENER_CREATION_FLOOR.toNanos());
		notify("drainStarted", DrainListener::drainStarted, fresh, creationDeadline, this.listenerTimeout,
				creationDeadline);
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
	 * listeners, which, with the creation of the listeners, end within the longer of the
	 * window and the listener timeout.
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
			logger.warn("Propagation window failed; ending it once it has lasted its shortest length", ex);
			awaitShortestWindow(drain);
		}
		finally {
			endWindow(drain, reason);
		}
	}

	/**
	 * After the window failed, keeps serving until it has lasted the shortest it can, and
	 * no later than its deadline: routers that have not yet applied the removal still
	 * send.
	 */
	private void awaitShortestWindow(Drain drain) {
		try {
			long remaining = Math.min(this.window.minLength().toNanos() - drain.elapsedNanos(),
					drain.windowEndDeadlineNanos() - System.nanoTime());
			if (remaining > 0) {
				TimeUnit.NANOSECONDS.sleep(remaining);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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
	 * Returns the listeners, asked for when the drain starts, on a thread of their own:
	 * creating them may create lazy beans, and a bean whose creation hangs must not hold
	 * the drain (its window, its deadline, the arming of the watchdog). The start waits
	 * for them until its deadline; if they are not there by then (or the wait is
	 * interrupted), or cannot be had at all (a listener bean that fails to be created),
	 * the drain goes on without them for good, so that no listener sees a milestone
	 * without those before it. Readiness stays down while the drain runs all the same.
	 * @param deadline until when to wait for them, a reading of {@link System#nanoTime()}
	 * @return the listeners
	 */
	private List<DrainListener> listeners(long deadline) {
		FutureTask<List<DrainListener>> creation;
		Thread thread;
		synchronized (this) {
			if (this.listeners != null) {
				return this.listeners;
			}
			if (this.listenerCreation == null) {
				this.listenerCreation = new FutureTask<>(() -> List.copyOf(this.listenerSupplier.get()));
				this.listenerCreationThread = new Thread(this.listenerCreation, "graceful-shutdown-listeners");
				this.listenerCreationThread.setDaemon(true);
				this.listenerCreationThread.start();
			}
			creation = this.listenerCreation;
			thread = this.listenerCreationThread;
		}
		List<DrainListener> listeners = List.of();
		try {
			listeners = creation.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
		}
		catch (ExecutionException ex) {
			logger.error("The drain's listeners could not be had; the drain goes on without them", ex.getCause());
		}
		catch (TimeoutException ex) {
			logger.error("The drain's listeners were still being created when the drain had to go on; it goes on"
					+ " without them. Creating them is stuck at:" + ThreadStack.of(thread));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.error("Interrupted while the drain's listeners were being created; the drain goes on without them");
		}
		synchronized (this) {
			if (this.listeners == null) {
				this.listeners = listeners;
			}
			return this.listeners;
		}
	}

	/**
	 * Tells the listeners of a milestone.
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
		long deadline = Math.min(System.nanoTime() + timeout.toNanos(), latestDeadline);
		new DrainListenerInvoker(milestone, listeners, call).invoke(drain, deadline);
	}

}
