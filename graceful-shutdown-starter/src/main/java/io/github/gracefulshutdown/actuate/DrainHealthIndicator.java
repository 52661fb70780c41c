package io.github.gracefulshutdown.actuate;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.report.DrainReport;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;

/**
 * Shows the drain in the health details. Always {@code UP}: a drain is intended, and
 * readiness already tells load balancers to stay away, so this indicator must not change
 * what any probe answers.
 */
public class DrainHealthIndicator implements HealthIndicator {

	private final DrainCoordinator coordinator;

	/**
	 * Creates an indicator.
	 * @param coordinator the application's drain
	 */
	public DrainHealthIndicator(DrainCoordinator coordinator) {
		this.coordinator = coordinator;
	}

	@Override
	public Health health() {
		Health.Builder health = Health.up().withDetail("state", this.coordinator.state().name());
		Drain drain = this.coordinator.drain().orElse(null);
		if (drain != null) {
			health.withDetail("trigger", drain.trigger().name());
			DrainPhase phase = drain.currentPhase();
			if (phase != null) {
				health.withDetail("phase", DrainReport.key(phase));
			}
		}
		return health.build();
	}

}
