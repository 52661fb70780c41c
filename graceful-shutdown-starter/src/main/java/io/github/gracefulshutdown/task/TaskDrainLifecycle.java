package io.github.gracefulshutdown.task;

import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;

import org.springframework.context.SmartLifecycle;

/**
 * Waits for the long-running tasks in a lifecycle phase of the context's shutdown, and
 * tells the lifecycle processor when they have ended. Sits either in the web server's
 * graceful phase, where the tasks share the in-flight deadline, or in a phase of its own
 * right after it, with a timeout of its own.
 */
class TaskDrainLifecycle implements SmartLifecycle {

	private final int phase;

	private final boolean withRequests;

	private final String deadline;

	private final DrainCoordinator coordinator;

	private final TaskDrain drain;

	private volatile boolean running;

	/**
	 * Creates the lifecycle bean.
	 * @param phase the lifecycle phase to wait in
	 * @param withRequests whether the phase is the web server's graceful phase, so that
	 * the task drain begins once the requests in flight are done
	 * @param deadline how the deadline of the wait is described in the log
	 * @param coordinator the application's drain
	 * @param drain the task drain
	 */
	TaskDrainLifecycle(int phase, boolean withRequests, String deadline, DrainCoordinator coordinator,
			TaskDrain drain) {
		this.phase = phase;
		this.withRequests = withRequests;
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
		this.drain.await(this.withRequests, this.deadline, () -> this.coordinator.beginPhase(DrainPhase.TASK_DRAIN),
				callback);
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
