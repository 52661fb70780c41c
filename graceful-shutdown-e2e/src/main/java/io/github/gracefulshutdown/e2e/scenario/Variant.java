package io.github.gracefulshutdown.e2e.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A way of running the sample application: its arguments and the pod's preStop hook.
 *
 * @param id a short name for file names
 * @param label a name for tables and charts
 * @param window how long the pod keeps serving after T0, so the longest propagation lag
 * it covers: the starter's propagation window, or the preStop sleep
 * @param preStopSleep how long the preStop hook sleeps before SIGTERM; zero for no hook
 * @param arguments the application arguments
 */
public record Variant(String id, String label, Duration window, Duration preStopSleep, List<String> arguments) {

	/**
	 * Creates a variant; the arguments are copied.
	 * @param id a short name for file names
	 * @param label a name for tables and charts
	 * @param window how long the pod keeps serving after T0
	 * @param preStopSleep how long the preStop hook sleeps
	 * @param arguments the application arguments
	 */
	public Variant {
		arguments = List.copyOf(arguments);
	}

	/**
	 * The sample with the starter and a fixed propagation window.
	 * @param delay the window ({@code graceful-shutdown.delay})
	 * @return the variant
	 */
	public static Variant starter(Duration delay) {
		return new Variant("starter", "starter, " + delay.toSeconds() + " s window", delay, Duration.ZERO, List
			.of("--graceful-shutdown.delay=" + delay.toMillis() + "ms", "--graceful-shutdown.window.mode=fixed"));
	}

	/**
	 * The sample with the starter and a window that ends once traffic stops: at least 2
	 * s, then until no request has arrived for the default quiet period of 2 s.
	 * @param maxDelay the longest the window may last
	 * ({@code graceful-shutdown.window.max})
	 * @return the variant
	 */
	public static Variant starterAdaptive(Duration maxDelay) {
		return new Variant("starter-adaptive", "starter, adaptive window of at most " + maxDelay.toSeconds() + " s",
				maxDelay, Duration.ZERO, List.of("--graceful-shutdown.delay=2000ms",
						"--graceful-shutdown.window.max=" + maxDelay.toMillis() + "ms"));
	}

	/**
	 * Returns the same variant with more application arguments, such as where a gateway
	 * routes to.
	 * @param more the arguments to add after this variant's own
	 * @return the variant
	 */
	public Variant withArguments(String... more) {
		List<String> all = new ArrayList<>(this.arguments);
		all.addAll(List.of(more));
		return new Variant(this.id, this.label, this.window, this.preStopSleep, all);
	}

	/**
	 * Returns whether this variant runs the starter.
	 * @return {@code true} for the starter's variants
	 */
	public boolean isStarter() {
		return this.id.startsWith("starter");
	}

	/**
	 * The same application with the starter turned off: Spring Boot's own graceful
	 * shutdown.
	 * @return the variant
	 */
	public static Variant plainSpringBoot() {
		return new Variant("plain", "plain Spring Boot", Duration.ZERO, Duration.ZERO,
				List.of("--graceful-shutdown.enabled=false"));
	}

	/**
	 * Plain Spring Boot with the {@code preStop} sleep its documentation recommends.
	 * @param sleep how long the preStop hook sleeps
	 * @return the variant
	 */
	public static Variant plainSpringBootWithPreStopSleep(Duration sleep) {
		return new Variant("plain-prestop", "plain Spring Boot, preStop sleep " + sleep.toSeconds() + " s", sleep,
				sleep, List.of("--graceful-shutdown.enabled=false"));
	}

}
