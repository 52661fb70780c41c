package io.github.gracefulshutdown.metrics;

import io.github.gracefulshutdown.task.TaskDrainStats;
import io.github.gracefulshutdown.web.StreamingResponseStats;
import io.github.gracefulshutdown.websocket.WebSocketDrainStats;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.ObjectProvider;

/**
 * Binds the meters of the parts of the drain that an application may or may not have: its
 * streaming responses, its WebSocket sessions and its long-running tasks, each when that
 * part is set up. One binder for all three, looked up when the registry binds it, so that
 * neither the order of the auto-configurations nor a condition per part decides whether a
 * part is metered.
 */
class OptionalPartsMetrics implements MeterBinder {

	private final ObjectProvider<StreamingResponseStats> streams;

	private final ObjectProvider<WebSocketDrainStats> webSockets;

	private final ObjectProvider<TaskDrainStats> tasks;

	OptionalPartsMetrics(ObjectProvider<StreamingResponseStats> streams, ObjectProvider<WebSocketDrainStats> webSockets,
			ObjectProvider<TaskDrainStats> tasks) {
		this.streams = streams;
		this.webSockets = webSockets;
		this.tasks = tasks;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		StreamingResponseStats streams = this.streams.getIfUnique();
		if (streams != null) {
			new StreamingResponseMetrics(streams).bindTo(registry);
		}
		WebSocketDrainStats webSockets = this.webSockets.getIfUnique();
		if (webSockets != null) {
			new WebSocketDrainMetrics(webSockets).bindTo(registry);
		}
		TaskDrainStats tasks = this.tasks.getIfUnique();
		if (tasks != null) {
			new TaskDrainMetrics(tasks).bindTo(registry);
		}
	}

}
