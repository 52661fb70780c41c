package io.github.gracefulshutdown.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

import io.github.gracefulshutdown.drain.Durations;

import org.jspecify.annotations.Nullable;

/**
 * How a drain spends the termination grace period: the propagation window and the other
 * bounded steps, the web server's in-flight drain, and a safety margin. Planned and
 * checked once at startup. Integrations that add a bounded step to the drain declare it
 * as an {@link Allotment} bean.
 */
public final class DrainBudget {

	static final String IN_FLIGHT_TIMEOUT_PROPERTY = "spring.lifecycle.timeout-per-shutdown-phase";

	static final String GRACE_PERIOD_PROPERTY = "graceful-shutdown.termination-grace-period";

	static final String SAFETY_MARGIN_PROPERTY = "graceful-shutdown.safety-margin";

	static final String LISTENER_TIMEOUT_PROPERTY = "graceful-shutdown.listener-timeout";

	/**
	 * What the propagation window's allotment is called.
	 */
	static final String WINDOW_STEP = "window";

	/**
	 * Time kept for the in-flight drain when the window's ceiling is derived from the
	 * budget and {@value #IN_FLIGHT_TIMEOUT_PROPERTY} is not set: enough for the requests
	 * of a typical service to finish, without taking much from the window.
	 */
	static final Duration IN_FLIGHT_RESERVE = Duration.ofSeconds(5);

	private final Duration terminationGracePeriod;

	private final Duration windowFloor;

	private final Duration safetyMargin;

	private final List<Allotment> allotments;

	private final boolean inFlightTimeoutDerived;

	private DrainBudget(Duration terminationGracePeriod, Duration windowFloor, Duration safetyMargin,
			List<Allotment> allotments, boolean inFlightTimeoutDerived) {
		this.terminationGracePeriod = terminationGracePeriod;
		this.windowFloor = windowFloor;
		this.safetyMargin = safetyMargin;
		this.allotments = List.copyOf(allotments);
		this.inFlightTimeoutDerived = inFlightTimeoutDerived;
	}

	/**
	 * Returns the longest a window that extends while requests arrive may last when no
	 * ceiling is set: what the deadline leaves after the steps that follow the window and
	 * the in-flight drain's reserve (the in-flight timeout the user set, or
	 * {@link #IN_FLIGHT_RESERVE}), never less than the window's floor. A floor that
	 * leaves less than the reserve is kept: the in-flight drain then gets what is left,
	 * as with a fixed window.
	 * @param terminationGracePeriod the time the platform allows for stopping
	 * @param safetyMargin the time kept free at the end
	 * @param stepsAfterWindow the bounded steps that follow the window, other than the
	 * in-flight drain
	 * @param explicitInFlightTimeout the in-flight timeout the user set, or {@code null}
	 * @param floor the shortest the window lasts
	 * @return the ceiling of the window, counted from the start of the drain
	 */
	static Duration windowCeiling(Duration terminationGracePeriod, Duration safetyMargin,
			List<Allotment> stepsAfterWindow, @Nullable Duration explicitInFlightTimeout, Duration floor) {
		Duration reserve = (explicitInFlightTimeout != null) ? explicitInFlightTimeout : IN_FLIGHT_RESERVE;
		Duration ceiling = terminationGracePeriod.minus(safetyMargin).minus(sum(stepsAfterWindow)).minus(reserve);
		return (ceiling.compareTo(floor) > 0) ? ceiling : floor;
	}

	/**
	 * Plans a budget. When the in-flight timeout is not set explicitly it gets what the
	 * other parts leave of the grace period.
	 * @param terminationGracePeriod the time the platform allows for stopping
	 * @param windowFloor the shortest the window lasts; its allotment is its longest
	 * @param steps the bounded steps of the drain other than the in-flight drain, the
	 * window's first
	 * @param explicitInFlightTimeout the in-flight timeout the user set, or {@code null}
	 * @param safetyMargin the time kept free at the end
	 * @return the budget
	 * @throws InvalidDrainConfigurationException if the parts do not fit
	 */
	static DrainBudget plan(Duration terminationGracePeriod, Duration windowFloor, List<Allotment> steps,
			@Nullable Duration explicitInFlightTimeout, Duration safetyMargin) {
		List<Allotment> allotments = new ArrayList<>(steps);
		Allotment margin = new Allotment("safety margin", SAFETY_MARGIN_PROPERTY, safetyMargin);
		if (explicitInFlightTimeout != null) {
			allotments.add(inFlight(explicitInFlightTimeout));
			allotments.add(margin);
			Duration total = sum(allotments);
			if (total.compareTo(terminationGracePeriod) > 0) {
				throw new InvalidDrainConfigurationException(
						"the drain needs " + Durations.format(total) + " but " + GRACE_PERIOD_PROPERTY + " is "
								+ Durations.format(terminationGracePeriod) + ":" + lines(allotments),
						"Shorten the steps above by " + Durations.format(total.minus(terminationGracePeriod))
								+ " in total, or raise terminationGracePeriodSeconds in the pod spec to at least "
								+ Durations.format(total) + " and set " + GRACE_PERIOD_PROPERTY + " to match.");
			}
			return new DrainBudget(terminationGracePeriod, windowFloor, safetyMargin, allotments, false);
		}
		Duration left = terminationGracePeriod.minus(sum(steps)).minus(safetyMargin);
		if (left.isNegative() || left.isZero()) {
			List<Allotment> taken = new ArrayList<>(steps);
			taken.add(margin);
			throw new InvalidDrainConfigurationException(
					"these steps leave no time for requests in flight within " + GRACE_PERIOD_PROPERTY + " ("
							+ Durations.format(terminationGracePeriod) + "):" + lines(taken),
					"Shorten " + steps.stream().map(Allotment::property).collect(Collectors.joining(" or "))
							+ ", or raise terminationGracePeriodSeconds in the pod spec to more than "
							+ Durations.format(sum(taken)) + " and set " + GRACE_PERIOD_PROPERTY + " to match.");
		}
		allotments.add(inFlight(left));
		allotments.add(margin);
		return new DrainBudget(terminationGracePeriod, windowFloor, safetyMargin, allotments, true);
	}

	/**
	 * Returns the time the platform allows for stopping.
	 * @return the termination grace period
	 */
	public Duration terminationGracePeriod() {
		return this.terminationGracePeriod;
	}

	/**
	 * Returns the time kept free at the end of the grace period.
	 * @return the safety margin
	 */
	public Duration safetyMargin() {
		return this.safetyMargin;
	}

	/**
	 * Returns the deadline of the whole shutdown, counted from its start (the start of
	 * the drain when the platform's grace period began with it): the termination grace
	 * period less the safety margin.
	 * @return the time from the start of the drain to the deadline
	 */
	public Duration deadline() {
		return this.terminationGracePeriod.minus(this.safetyMargin);
	}

	/**
	 * Returns the timeout the lifecycle phases still to stop get at the given point of a
	 * shutdown: what is left until the deadline, less the steps that run after the
	 * in-flight drain, and no more than an in-flight timeout the user set.
	 * @param elapsedNanos the time since the start of the shutdown, in nanoseconds
	 * @return the timeout, zero or positive
	 */
	public Duration phaseTimeoutLeft(long elapsedNanos) {
		Duration left = deadline().minusNanos(elapsedNanos);
		for (Allotment allotment : this.allotments) {
			if (allotment.afterInFlight()) {
				left = left.minus(allotment.duration());
			}
		}
		return phaseTimeout(left);
	}

	/**
	 * Returns the timeout the lifecycle phases that stop after every step of the drain
	 * get at the given point of a shutdown: what is left until the deadline, and no more
	 * than an in-flight timeout the user set.
	 * @param elapsedNanos the time since the start of the shutdown, in nanoseconds
	 * @return the timeout, zero or positive
	 */
	public Duration timeLeftAfterSteps(long elapsedNanos) {
		return phaseTimeout(deadline().minusNanos(elapsedNanos));
	}

	private Duration phaseTimeout(Duration left) {
		if (!this.inFlightTimeoutDerived && left.compareTo(inFlightTimeout()) > 0) {
			return inFlightTimeout();
		}
		return left.isNegative() ? Duration.ZERO : left;
	}

	/**
	 * Returns every part of the budget, in the order the drain spends them, ending with
	 * the in-flight drain and the safety margin.
	 * @return the parts of the budget
	 */
	public List<Allotment> allotments() {
		return this.allotments;
	}

	/**
	 * Returns the longest the web server waits for requests in flight.
	 * @return the in-flight timeout
	 */
	public Duration inFlightTimeout() {
		for (Allotment allotment : this.allotments) {
			if (IN_FLIGHT_TIMEOUT_PROPERTY.equals(allotment.property())) {
				return allotment.duration();
			}
		}
		throw new IllegalStateException("The budget has no in-flight drain");
	}

	/**
	 * Returns whether the in-flight timeout was derived from the grace period rather than
	 * set by the user.
	 * @return {@code true} if the starter chose the in-flight timeout
	 */
	public boolean isInFlightTimeoutDerived() {
		return this.inFlightTimeoutDerived;
	}

	/**
	 * Returns the shortest the propagation window lasts. Its allotment is the longest it
	 * may last.
	 * @return the floor of the window
	 */
	public Duration windowFloor() {
		return this.windowFloor;
	}

	@Override
	public String toString() {
		boolean windowExtends = windowExtends();
		StringBuilder text = new StringBuilder();
		for (Allotment allotment : this.allotments) {
			if (!text.isEmpty()) {
				text.append(" + ");
			}
			text.append(describe(allotment, windowExtends));
		}
		return text.append(" = ")
			.append(Durations.format(sum(this.allotments)))
			.append(" of ")
			.append(Durations.format(this.terminationGracePeriod))
			.append(" termination grace period")
			.toString();
	}

	private boolean windowExtends() {
		for (Allotment allotment : this.allotments) {
			if (WINDOW_STEP.equals(allotment.step()) && allotment.duration().compareTo(this.windowFloor) > 0) {
				return true;
			}
		}
		return false;
	}

	private String describe(Allotment allotment, boolean windowExtends) {
		if (WINDOW_STEP.equals(allotment.step()) && windowExtends) {
			return WINDOW_STEP + " " + Durations.format(this.windowFloor) + ", extended while requests arrive up to "
					+ Durations.format(allotment.duration());
		}
		if (IN_FLIGHT_TIMEOUT_PROPERTY.equals(allotment.property()) && this.inFlightTimeoutDerived) {
			return allotment.step() + (windowExtends ? " at least " : " ") + Durations.format(allotment.duration())
					+ " (what the window leaves, as " + IN_FLIGHT_TIMEOUT_PROPERTY + " is not set)";
		}
		return allotment.step() + " " + Durations.format(allotment.duration());
	}

	private static Allotment inFlight(Duration timeout) {
		return new Allotment("in-flight drain", IN_FLIGHT_TIMEOUT_PROPERTY, timeout);
	}

	private static Duration sum(List<Allotment> allotments) {
		Duration sum = Duration.ZERO;
		for (Allotment allotment : allotments) {
			sum = sum.plus(allotment.duration());
		}
		return sum;
	}

	private static String lines(List<Allotment> allotments) {
		return allotments.stream()
			.map((allotment) -> String.format("%n    %-16s %-10s (%s)", allotment.step(),
					Durations.format(allotment.duration()), allotment.property()))
			.collect(Collectors.joining());
	}

	/**
	 * One part of the budget.
	 *
	 * @param step what the time is for
	 * @param property the property that sets it
	 * @param duration how long it may take
	 * @param afterInFlight whether the step runs after the in-flight drain, so that the
	 * in-flight drain must leave its time free
	 */
	public record Allotment(String step, String property, Duration duration, boolean afterInFlight) {

		/**
		 * Creates an allotment for a step that runs before the in-flight drain.
		 * @param step what the time is for
		 * @param property the property that sets it
		 * @param duration how long it may take
		 */
		public Allotment(String step, String property, Duration duration) {
			this(step, property, duration, false);
		}

	}

}
