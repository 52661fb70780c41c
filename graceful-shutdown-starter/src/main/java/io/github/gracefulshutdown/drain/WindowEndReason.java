package io.github.gracefulshutdown.drain;

/**
 * Why a propagation window ended: tells whether routers had stopped sending by then (the
 * window was long enough) or were still sending (it was cut short).
 */
public enum WindowEndReason {

	/**
	 * The window has a fixed length, and it passed.
	 */
	FIXED,

	/**
	 * The window ended at its floor: no request had arrived for the quiet period by then,
	 * so routers had stopped sending before it.
	 */
	FLOOR,

	/**
	 * The window was extended past its floor, because requests still arrived, and ended
	 * once none had arrived for the quiet period.
	 */
	QUIET,

	/**
	 * The platform had published the removal of the endpoint, its routers had had the
	 * tail to apply it, and no request had arrived for the quiet period by then.
	 */
	ENDPOINT_REMOVED,

	/**
	 * Requests were still arriving, or the platform had not published the removal of the
	 * endpoint, when the window reached its ceiling: routers may still be sending.
	 */
	CEILING,

	/**
	 * The thread that ran the window was interrupted.
	 */
	INTERRUPTED,

	/**
	 * The window failed with an exception; it still lasted the shortest it can.
	 */
	FAILED

}
