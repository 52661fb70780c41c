package io.github.gracefulshutdown.e2e.scenario;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A way of running the sample application: its arguments and the pod's preStop hook.
 *
 * @param id a short name for file names
 * @param label a name for tables and charts
 * @param window how long the pod keeps serving after T0 whatever the traffic, so the
 * longest propagation lag it covers: the starter's propagation window (its floor when it
 * extends), or the preStop sleep
 * @param preStopSleep how long the preStop hook sleeps before SIGTERM; zero for no hook
 * @param arguments the application arguments
 * @param watchesEndpointSlices whether the pods watch their EndpointSlices, so the
 * scenario needs an API server and tells the pods where it is
 */
public record Variant(String id, String label, Duration window, Duration preStopSleep, List<String> arguments,
		boolean watchesEndpointSlices) {

	private static final String KUBERNETES = "--spring.main.cloud-platform=kubernetes";

	/**
	 * Creates a variant; the arguments are copied.
	 * @param id a short name for file names
	 * @param label a name for tables and charts
	 * @param window how long the pod keeps serving after T0 whatever the traffic
	 * @param preStopSleep how long the preStop hook sleeps
	 * @param arguments the application arguments
	 * @param watchesEndpointSlices whether the pods watch their EndpointSlices
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
			.of("--graceful-shutdown.delay=" + delay.toMillis() + "ms", "--graceful-shutdown.window.mode=fixed"),
				false);
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
						"--graceful-shutdown.window.max=" + maxDelay.toMillis() + "ms"),
				false);
	}

	/**
	 * The sample with the starter and no property of its own set. On Kubernetes (see
	 * {@link #onKubernetes()}) its window lasts at least 10 s, then extends while
	 * requests arrive until none has for 2 s, up to a ceiling from the budget; elsewhere
	 * there is no window.
	 * @return the variant
	 */
	public static Variant starterDefaults() {
		return new Variant("starter-default", "starter defaults (floor 10 s, extends)", Duration.ofSeconds(10),
				Duration.ZERO, List.of(), false);
	}

	/**
	 * The sample with the starter and the endpoint-aware window: at the start of the
	 * drain each pod watches its EndpointSlices, and the window lasts until they show it
	 * not ready plus a tail of 2 s, then extends while requests arrive. Each pod names
	 * itself by its instance name, as a pod's name is its own; the scenario adds where
	 * the API server and the namespace file are. Only on Kubernetes (see
	 * {@link #onKubernetes()}).
	 * @return the variant
	 */
	public static Variant starterEndpointAware() {
		return new Variant("starter-endpoint-aware", "starter, endpoint-aware (tail 2 s, extends)",
				Duration.ofSeconds(2), Duration.ZERO, List.of("--graceful-shutdown.window.endpoint-watch.enabled=true",
						"--graceful-shutdown.window.endpoint-watch.pod-name=${sample.instance}"),
				true);
	}

	/**
	 * Returns the same variant running on Kubernetes as Spring Boot detects it, which
	 * turns on the starter's Kubernetes defaults and its endpoint watch.
	 * @return the variant
	 */
	public Variant onKubernetes() {
		return withArguments(KUBERNETES);
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
		return new Variant(this.id, this.label, this.window, this.preStopSleep, all, this.watchesEndpointSlices);
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
				List.of("--graceful-shutdown.enabled=false"), false);
	}

	/**
	 * The gRPC sample with the starter turned off: Spring gRPC's own shutdown, which
	 * stops its server first thing at SIGTERM.
	 * @return the variant
	 */
	public static Variant plainSpringGrpc() {
		return new Variant("plain", "plain Spring gRPC", Duration.ZERO, Duration.ZERO,
				List.of("--graceful-shutdown.enabled=false"), false);
	}

	/**
	 * Plain Spring Boot with the {@code preStop} sleep its documentation recommends.
	 * @param sleep how long the preStop hook sleeps
	 * @return the variant
	 */
	public static Variant plainSpringBootWithPreStopSleep(Duration sleep) {
		return new Variant("plain-prestop", "plain Spring Boot, preStop sleep " + sleep.toSeconds() + " s", sleep,
				sleep, List.of("--graceful-shutdown.enabled=false"), false);
	}

}
