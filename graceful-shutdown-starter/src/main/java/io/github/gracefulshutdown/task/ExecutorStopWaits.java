package io.github.gracefulshutdown.task;

import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.ShutdownPhaseTimeouts;
import io.github.gracefulshutdown.drain.DrainCoordinator;

/**
 * Bounds the wait of Spring's own stop of the executors, right before their lifecycle
 * phase, after the task drain: when the task drain reached its deadline with tasks left
 * over, their time is spent and the stop gets none, so a task that ignores interrupts
 * cannot add another timeout to the shutdown; otherwise the stop gets what is left until
 * the shutdown's deadline, for the tasks of executors the drain does not count, which
 * share that phase. Runs through a {@code DrainPhaseBoundary}.
 */
class ExecutorStopWaits implements Runnable {

	private final DrainCoordinator coordinator;

	private final TaskDrain drain;

	private final ExecutorTaskCoverage coverage;

	private final ShutdownPhaseTimeouts phaseTimeouts;

	/**
	 * Creates the bound.
	 * @param coordinator the application's drain
	 * @param drain the task drain
	 * @param coverage the coverage of executors
	 * @param phaseTimeouts the timeouts of the lifecycle phases and the shutdown's
	 * deadline
	 */
	ExecutorStopWaits(DrainCoordinator coordinator, TaskDrain drain, ExecutorTaskCoverage coverage,
			ShutdownPhaseTimeouts phaseTimeouts) {
		this.coordinator = coordinator;
		this.drain = drain;
		this.coverage = coverage;
		this.phaseTimeouts = phaseTimeouts;
	}

	@Override
	public void run() {
		if (this.coordinator.isDraining()) {
			this.phaseTimeouts.setTimeout(this.coverage.stopPhases(),
					(this.drain.cutOff() > 0) ? Duration.ZERO : this.phaseTimeouts.timeUntilDeadline());
		}
	}

}
