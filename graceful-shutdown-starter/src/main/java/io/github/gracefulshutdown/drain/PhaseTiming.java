package io.github.gracefulshutdown.drain;

import java.time.Duration;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * When one phase of a drain started and ended.
 *
 * @param phase the phase
 * @param startedAt when the phase started
 * @param endedAt when the phase ended, or {@code null} while it runs
 */
public record PhaseTiming(DrainPhase phase, Instant startedAt, @Nullable Instant endedAt) {

	/**
	 * Returns how long the phase took, or has taken so far if it still runs.
	 * @param now the current time
	 * @return the duration of the phase
	 */
	public Duration duration(Instant now) {
		return Duration.between(this.startedAt, (this.endedAt != null) ? this.endedAt : now);
	}

}
