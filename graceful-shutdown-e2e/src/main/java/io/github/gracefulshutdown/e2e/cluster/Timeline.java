package io.github.gracefulshutdown.e2e.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The events of a rolling restart as they happen, from any thread.
 */
public final class Timeline {

	private final List<TimelineEvent> events = new CopyOnWriteArrayList<>();

	/**
	 * Records that something happens now.
	 * @param pod the pod
	 * @param kind what happens
	 */
	public void record(String pod, TimelineEvent.Kind kind) {
		record(System.nanoTime(), pod, kind);
	}

	/**
	 * Records that something happened at the given time.
	 * @param atNanos when, in {@link System#nanoTime()}
	 * @param pod the pod
	 * @param kind what happened
	 */
	public void record(long atNanos, String pod, TimelineEvent.Kind kind) {
		this.events.add(new TimelineEvent(atNanos, pod, kind));
	}

	/**
	 * Returns the events recorded so far, in time order.
	 * @return the events
	 */
	public List<TimelineEvent> events() {
		List<TimelineEvent> sorted = new ArrayList<>(this.events);
		sorted.sort(Comparator.comparingLong(TimelineEvent::atNanos));
		return List.copyOf(sorted);
	}

}
