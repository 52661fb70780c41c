package io.github.gracefulshutdown.actuate;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.PhaseTiming;
import io.github.gracefulshutdown.drain.WindowEndReason;
import io.github.gracefulshutdown.report.DrainReport;
import io.github.gracefulshutdown.report.DrainReportContributor;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * The state of the application's drain, as the actuator endpoint shows it.
 *
 * @param state {@code SERVING}, {@code DRAINING} or {@code DRAINED}
 * @param trigger what started the drain, if one started
 * @param phase the phase that runs now, if any
 * @param startedAt when the drain started
 * @param completedAt when the drain completed
 * @param windowEndReason why the propagation window ended, once it has
 * @param windowExtensionMillis how far the propagation window was extended past its floor
 * because requests still arrived, once it has ended
 * @param endpointRemovalMillis time from the start of the drain to the platform
 * publishing the removal of the endpoint, when the window watched for it and saw it
 * @param timeline the phases that have started, in order
 * @param figures what the application's parts know about the drain (requests, sessions,
 * tasks)
 * @param configuration how the drain is configured
 */
public record DrainDescriptor(String state, @Nullable String trigger, @Nullable String phase,
		@Nullable Instant startedAt, @Nullable Instant completedAt, @Nullable String windowEndReason,
		@Nullable Long windowExtensionMillis, @Nullable Long endpointRemovalMillis, List<PhaseDescriptor> timeline,
		Map<String, @Nullable Object> figures, Map<String, Object> configuration) implements OperationResponseBody {

	static DrainDescriptor of(DrainCoordinator coordinator, List<DrainReportContributor> contributors,
			Map<String, Object> configuration) {
		Drain drain = coordinator.drain().orElse(null);
		Map<String, @Nullable Object> figures = new LinkedHashMap<>();
		DrainReport.addFigures(drain, contributors, figures);
		if (drain == null) {
			return new DrainDescriptor(coordinator.state().name(), null, null, null, null, null, null, null, List.of(),
					figures, configuration);
		}
		Instant now = drain.now();
		List<PhaseDescriptor> timeline = drain.timeline()
			.stream()
			.map((timing) -> PhaseDescriptor.of(timing, now))
			.toList();
		DrainPhase phase = drain.currentPhase();
		WindowEndReason windowEndReason = drain.windowEndReason();
		Duration endpointRemoval = drain.endpointRemoval();
		return new DrainDescriptor(coordinator.state().name(), drain.trigger().name(),
				(phase != null) ? DrainReport.key(phase) : null, drain.startedAt(), drain.completedAt(),
				(windowEndReason != null) ? windowEndReason.name() : null,
				(windowEndReason != null) ? drain.windowExtension().toMillis() : null,
				(endpointRemoval != null) ? endpointRemoval.toMillis() : null, timeline, figures, configuration);
	}

	/**
	 * One phase of the drain.
	 *
	 * @param phase the name of the phase
	 * @param startedAt when it started
	 * @param endedAt when it ended, if it has
	 * @param durationMillis how long it took, or has taken so far
	 */
	public record PhaseDescriptor(String phase, Instant startedAt, @Nullable Instant endedAt, long durationMillis) {

		static PhaseDescriptor of(PhaseTiming timing, Instant now) {
			return new PhaseDescriptor(DrainReport.key(timing.phase()), timing.startedAt(), timing.endedAt(),
					timing.duration(now).toMillis());
		}

	}

}
