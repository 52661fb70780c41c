package io.github.gracefulshutdown.e2e.cluster;

import java.time.Duration;

/**
 * How one pod's container stopped.
 *
 * @param pod the pod
 * @param instance the instance that ran it
 * @param stopStartedNanos T0, in {@link System#nanoTime()}
 * @param sigtermNanos when SIGTERM was sent, in {@link System#nanoTime()}
 * @param exitNanos when the process exited, in {@link System#nanoTime()}
 * @param sigkilled whether the kubelet had to send SIGKILL
 * @param exitCode the exit code of the process
 */
public record PodStop(String pod, String instance, long stopStartedNanos, long sigtermNanos, long exitNanos,
		boolean sigkilled, int exitCode) {

	/**
	 * Returns the time from SIGTERM to the exit of the process.
	 * @return SIGTERM to exit
	 */
	public Duration sigtermToExit() {
		return Duration.ofNanos(this.exitNanos - this.sigtermNanos);
	}

	/**
	 * Returns the time from T0, when the pod was deleted, to the exit of the process,
	 * which includes the preStop hook.
	 * @return T0 to exit
	 */
	public Duration stopToExit() {
		return Duration.ofNanos(this.exitNanos - this.stopStartedNanos);
	}

}
