package io.github.gracefulshutdown.e2e.cluster;

import java.time.Duration;

import io.github.gracefulshutdown.e2e.process.SampleInstance;

/**
 * Stops a pod's container the way the kubelet does: runs the preStop hook (here a plain
 * wait, as {@code sleep}), sends SIGTERM, and sends SIGKILL if the process is still alive
 * when the termination grace period, counted from T0 and preStop included, runs out.
 */
public final class Kubelet {

	private static final Duration AFTER_SIGKILL_WAIT = Duration.ofSeconds(10);

	private final Duration preStopSleep;

	private final Duration terminationGracePeriod;

	private final Timeline timeline;

	/**
	 * Creates a kubelet.
	 * @param preStopSleep how long the preStop hook sleeps; zero for no hook
	 * @param terminationGracePeriod the pod's {@code terminationGracePeriodSeconds}
	 * @param timeline where to record what it does
	 */
	public Kubelet(Duration preStopSleep, Duration terminationGracePeriod, Timeline timeline) {
		this.preStopSleep = preStopSleep;
		this.terminationGracePeriod = terminationGracePeriod;
		this.timeline = timeline;
	}

	/**
	 * Stops the container and returns once its process has exited.
	 * @param pod the pod
	 * @param instance the instance that runs it
	 * @param stopStartedNanos T0, in {@link System#nanoTime()}
	 * @return how it stopped
	 * @throws InterruptedException if interrupted while waiting
	 * @throws IllegalStateException if the process survives even SIGKILL
	 */
	public PodStop stop(String pod, SampleInstance instance, long stopStartedNanos) throws InterruptedException {
		if (!this.preStopSleep.isZero()) {
			// The preStop hook runs in the container while the application serves on;
			// the process exiting meanwhile ends it early
			instance.awaitExit(this.preStopSleep);
		}
		long sigterm = System.nanoTime();
		this.timeline.record(sigterm, pod, TimelineEvent.Kind.SIGTERM_SENT);
		instance.sigterm();
		Duration left = this.terminationGracePeriod.minusNanos(System.nanoTime() - stopStartedNanos);
		boolean sigkilled = false;
		if (!instance.awaitExit(left.isNegative() ? Duration.ZERO : left)) {
			sigkilled = true;
			this.timeline.record(pod, TimelineEvent.Kind.SIGKILL_SENT);
			instance.sigkill();
			if (!instance.awaitExit(AFTER_SIGKILL_WAIT)) {
				throw new IllegalStateException(instance + " still alive after SIGKILL");
			}
		}
		this.timeline.record(instance.exitNanos(), pod, TimelineEvent.Kind.EXITED);
		return new PodStop(pod, instance.name(), stopStartedNanos, sigterm, instance.exitNanos(), sigkilled,
				instance.exitCode());
	}

}
