package io.github.gracefulshutdown.drain;

/**
 * What started a drain. The first trigger starts it; later triggers join it.
 */
public enum DrainTrigger {

	/**
	 * The application context began to close: SIGTERM, {@code context.close()} or Spring
	 * Boot's shutdown endpoint.
	 */
	CONTEXT_CLOSE,

	/**
	 * A Kubernetes {@code preStop} HTTP hook.
	 */
	PRE_STOP_HOOK,

	/**
	 * The actuator endpoint's write operation.
	 */
	ENDPOINT,

	/**
	 * Application code, through {@link DrainCoordinator#startDrain(DrainTrigger)}.
	 */
	APPLICATION

}
