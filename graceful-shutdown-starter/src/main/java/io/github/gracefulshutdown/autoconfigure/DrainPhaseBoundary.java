package io.github.gracefulshutdown.autoconfigure;

import org.springframework.context.SmartLifecycle;

/**
 * Marks a point of the context's shutdown sequence: runs an action when the lifecycle
 * phase it sits in is stopped. Placed next to the web server's phases, it tells the drain
 * when the in-flight drain begins and when the web server has stopped, and lets the
 * integrations act when the web server's graceful phase is over. Not pauseable: a
 * {@code pause()} of the context is no shutdown.
 */
public final class DrainPhaseBoundary implements SmartLifecycle {

	private final int phase;

	private final Runnable onStop;

	private volatile boolean running;

	/**
	 * Creates a boundary.
	 * @param phase the lifecycle phase it sits in
	 * @param onStop what to do when that phase is stopped
	 */
	public DrainPhaseBoundary(int phase, Runnable onStop) {
		this.phase = phase;
		this.onStop = onStop;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		this.running = false;
		this.onStop.run();
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public boolean isPauseable() {
		return false;
	}

	@Override
	public int getPhase() {
		return this.phase;
	}

}
