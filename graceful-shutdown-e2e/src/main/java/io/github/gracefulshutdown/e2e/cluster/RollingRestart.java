package io.github.gracefulshutdown.e2e.cluster;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.e2e.process.SampleInstance;

/**
 * Restarts the pods one after the other, playing the endpoints controller and the
 * kubelet. For each pod, at T0, two things start at once: the endpoint removal, which
 * reaches each of its destinations after that destination's delay (the routers after the
 * propagation lag), and the container stop. Once the old process has exited, a
 * replacement starts; once it is ready and the removal has reached every destination, it
 * is put in service everywhere, and the next pod goes.
 */
public final class RollingRestart {

	private static final Pattern DRAIN_STARTED = Pattern.compile("Drain started by");

	private static final Pattern IN_FLIGHT_DRAIN_STARTED = Pattern.compile("Commencing graceful shutdown");

	private static final Duration REMOVAL_ALLOWANCE = Duration.ofSeconds(30);

	private final Kubelet kubelet;

	private final List<EndpointPropagation> propagations;

	private final PodStarter podStarter;

	private final Timeline timeline;

	/**
	 * Creates a rolling restart.
	 * @param kubelet stops the containers
	 * @param propagations where the endpoint changes go, and how long a removal takes to
	 * get there
	 * @param podStarter starts replacements
	 * @param timeline where to record what happens
	 */
	public RollingRestart(Kubelet kubelet, List<EndpointPropagation> propagations, PodStarter podStarter,
			Timeline timeline) {
		this.kubelet = kubelet;
		this.propagations = List.copyOf(propagations);
		this.podStarter = podStarter;
		this.timeline = timeline;
	}

	/**
	 * Restarts every pod, in order.
	 * @param pods the instance that runs each pod now, by pod name
	 * @return the replacements and how each old pod stopped
	 * @throws IOException if a replacement cannot be started
	 * @throws InterruptedException if interrupted
	 */
	public Result run(Map<String, SampleInstance> pods) throws IOException, InterruptedException {
		ScheduledExecutorService endpointsController = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "endpoints-controller");
			thread.setDaemon(true);
			return thread;
		});
		try {
			Map<String, SampleInstance> replacements = new LinkedHashMap<>();
			List<PodStop> stops = new ArrayList<>();
			for (Map.Entry<String, SampleInstance> pod : pods.entrySet()) {
				SampleInstance replacement = restart(pod.getKey(), pod.getValue(), endpointsController, stops);
				replacements.put(pod.getKey(), replacement);
			}
			return new Result(replacements, stops);
		}
		finally {
			endpointsController.shutdownNow();
		}
	}

	private SampleInstance restart(String pod, SampleInstance old, ScheduledExecutorService endpointsController,
			List<PodStop> stops) throws IOException, InterruptedException {
		long stopStarted = System.nanoTime();
		this.timeline.record(stopStarted, pod, TimelineEvent.Kind.STOP_STARTED);
		List<Future<?>> removals = new ArrayList<>();
		for (EndpointPropagation propagation : this.propagations) {
			// The delays are the behaviour under simulation: each destination hears of
			// the removal on its own schedule
			removals.add(endpointsController.schedule(() -> {
				propagation.endpoints().remove(pod);
				this.timeline.record(pod, propagation.removalEvent());
				return null;
			}, propagation.removalDelay().toNanos() - (System.nanoTime() - stopStarted), TimeUnit.NANOSECONDS));
		}
		stops.add(this.kubelet.stop(pod, old, stopStarted));
		old.firstLineNanos(DRAIN_STARTED)
			.ifPresent((at) -> this.timeline.record(at, pod, TimelineEvent.Kind.DRAIN_STARTED));
		old.firstLineNanos(IN_FLIGHT_DRAIN_STARTED)
			.ifPresent((at) -> this.timeline.record(at, pod, TimelineEvent.Kind.IN_FLIGHT_DRAIN_STARTED));
		SampleInstance replacement = this.podStarter.start(pod);
		this.timeline.record(pod, TimelineEvent.Kind.REPLACEMENT_READY);
		for (int i = 0; i < removals.size(); i++) {
			awaitRemoval(pod, removals.get(i), this.propagations.get(i).removalDelay());
		}
		for (EndpointPropagation propagation : this.propagations) {
			propagation.endpoints().add(pod, replacement.name(), replacement.servingPort());
		}
		this.timeline.record(pod, TimelineEvent.Kind.BACK_IN_SERVICE);
		return replacement;
	}

	private void awaitRemoval(String pod, Future<?> removal, Duration delay) throws InterruptedException {
		try {
			removal.get(delay.plus(REMOVAL_ALLOWANCE).toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (ExecutionException ex) {
			throw new IllegalStateException("Endpoint removal of " + pod + " failed", ex.getCause());
		}
		catch (TimeoutException ex) {
			throw new IllegalStateException("Endpoint removal of " + pod + " did not end", ex);
		}
	}

	/**
	 * The outcome of a rolling restart.
	 *
	 * @param pods the instance that runs each pod afterwards, by pod name
	 * @param stops how each pod stopped, in order
	 */
	public record Result(Map<String, SampleInstance> pods, List<PodStop> stops) {

	}

}
