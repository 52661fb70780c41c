package io.github.gracefulshutdown.drain;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Runs the one drain of an application. Every trigger (context close, preStop hook,
 * endpoint, application code) calls {@link #startDrain(DrainTrigger)}: the first starts
 * the drain and its propagation window, later ones join the running drain.
 */
public final class DrainCoordinator {

	private static final Log logger = LogFactory.getLog(DrainCoordinator.class);

	private final PropagationWindow window;

	private final Supplier<List<DrainListener>> listenerSupplier;

	private final Clock clock;

	private final AtomicReference<@Nullable Drain> drain = new AtomicReference<>();

	private @Nullable List<DrainListener> listeners;

	/**
	 * Creates a coordinator.
	 * @param window the propagation window every drain waits for
	 * @param listeners supplies the listeners to call, in order; asked once, when they
	 * are first needed
	 * @param clock the clock that timestamps the drain's timeline
	 */
	public DrainCoordinator(PropagationWindow window, Supplier<List<DrainListener>> listeners, Clock clock) {
		this.window = window;
		this.listenerSupplier = listeners;
		this.clock = clock;
	}

	/**
	 * Starts the drain, or joins it if it already started. Returns once every listener
	 * has seen the start (readiness is then down); the propagation window runs on a
	 * thread of its own.
	 * @param trigger what asks for the drain
	 * @return the running drain
	 */
	public Drain startDrain(DrainTrigger trigger) {
		Drain fresh = new Drain(trigger, this.clock);
		Drain running = this.drain.compareAndExchange(null, fresh);
		if (running != null) {
			if (logger.isDebugEnabled()) {
				logger.debug(trigger + " joins the drain started by " + running.trigger());
			}
			return running;
		}
		logger.info("Drain started by " + trigger + "; propagation window: " + this.window);
		notify("drainStarted", (listener) -> listener.drainStarted(fresh));
		if (this.window.maxLength().isZero()) {
			endWindow(fresh);
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
		Drain current = this.drain.get();
		if (current != null && current.complete()) {
			notify("drainCompleted", (listener) -> listener.drainCompleted(current));
		}
	}

	private void runWindow(Drain drain) {
		try {
			this.window.await(drain);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			logger.warn("Propagation window interrupted; ending it early");
		}
		catch (RuntimeException ex) {
			logger.warn("Propagation window failed; ending it early", ex);
		}
		finally {
			endWindow(drain);
		}
	}

	private void endWindow(Drain drain) {
		drain.endPhase(DrainPhase.PROPAGATION_WINDOW);
		logger.info("Propagation window ended after " + Duration.ofNanos(drain.elapsedNanos()).toMillis() + " ms");
		try {
			notify("windowEnded", (listener) -> listener.windowEnded(drain));
		}
		finally {
			drain.markWindowEnded();
		}
	}

	private synchronized List<DrainListener> listeners() {
		if (this.listeners == null) {
			this.listeners = List.copyOf(this.listenerSupplier.get());
		}
		return this.listeners;
	}

	private void notify(String callback, Consumer<DrainListener> call) {
		for (DrainListener listener : listeners()) {
			try {
				call.accept(listener);
			}
			catch (RuntimeException ex) {
				logger.warn("Drain listener " + listener + " failed in " + callback + "; the drain goes on", ex);
			}
		}
	}

}
