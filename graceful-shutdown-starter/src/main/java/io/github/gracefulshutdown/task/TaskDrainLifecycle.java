package io.github.gracefulshutdown.task;

import java.time.Duration;
import java.util.Set;

import io.github.gracefulshutdown.autoconfigure.ShutdownPhaseTimeouts;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.Durations;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.SmartLifecycle;

/**
 * Waits for the long-running tasks in a lifecycle phase of the context's shutdown, and
 * tells the lifecycle processor when they have ended. Sits either in the web server's
 * graceful phase, where the tasks share the in-flight deadline, or in a phase of its own
 * right after it, with a timeout of its own that never reaches past the shutdown's
 * deadline: phases before it that took longer than planned leave it less.
 */
class TaskDrainLifecycle implements SmartLifecycle {

	private static final Log logger = LogFactory.getLog(TaskDrainLifecycle.class);

	private final int phase;

	private final @Nullable Duration ownTimeout;

	private final ShutdownPhaseTimeouts phaseTimeouts;

	private final boolean withRequests;

	private final String deadline;

	private final DrainCoordinator coordinator;

	private final TaskDrain drain;

	private volatile boolean running;

	/**
	 * Creates the lifecycle bean.
	 * @param phase the lifecycle phase to wait in
	 * @param ownTimeout the timeout of that phase when it is one of its own, or
	 * {@code null} for the web server's graceful phase, where the task drain begins once
	 * the requests in flight are done
	 * @param phaseTimeouts the timeouts of the lifecycle phases and the shutdown's
	 * deadline
	 * @param deadline how the deadline of the wait is described in the log
	 * @param coordinator the application's drain
	 * @param drain the task drain
	 */
	TaskDrainLifecycle(int phase, @Nullable Duration ownTimeout, ShutdownPhaseTimeouts phaseTimeouts, String deadline,
			DrainCoordinator coordinator, TaskDrain drain) {
		this.phase = phase;
		this.ownTimeout = ownTimeout;
		this.phaseTimeouts = phaseTimeouts;
		this.withRequests = (ownTimeout == null);
		this.deadline = deadline;
		this.coordinator = coordinator;
		this.drain = drain;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
	}

	@Override
	public void stop(Runnable callback) {
		this.running = false;
		if (!this.coordinator.isDraining()) {
			callback.run();
			return;
		}
		fitOwnTimeoutToDeadline();
		this.drain.await(this.withRequests, this.deadline, () -> this.coordinator.beginPhase(DrainPhase.TASK_DRAIN),
				callback);
	}

	/**
	 * Gives a phase of its own no more than what is left until the shutdown's deadline.
	 * The lifecycle processor reads the phase's timeout once the phase's beans were asked
	 * to stop, so the timeout set here applies.
	 */
	private void fitOwnTimeoutToDeadline() {
		if (this.ownTimeout == null) {
			return;
		}
		Duration left = this.phaseTimeouts.untilDeadline();
		if (left.compareTo(this.ownTimeout) < 0) {
			this.phaseTimeouts.setTimeout(Set.of(this.phase), left);
			logger.warn("Waiting for long-running tasks at most " + Durations.format(left) + ", not "
					+ Durations.format(this.ownTimeout) + " (" + TaskDrainAutoConfiguration.TIMEOUT_PROPERTY
					+ "): the shutdown's deadline is that close, as the phases before took longer than planned");
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	/**
	 * Not pauseable: a {@code pause()} of the context is no shutdown.
	 */
	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
