package io.github.gracefulshutdown.e2e.process;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starts child processes and makes sure none of them outlives the run: {@link #close()}
 * kills every one still alive, and so does a JVM shutdown hook if the harness itself is
 * stopped first.
 */
public final class ChildProcesses implements AutoCloseable {

	private static final long EXIT_WAIT_SECONDS = 10;

	private final Set<Process> processes = ConcurrentHashMap.newKeySet();

	private final Thread shutdownHook = new Thread(this::killAll, "child-process-reaper");

	/**
	 * Creates an empty registry and registers its shutdown hook.
	 */
	public ChildProcesses() {
		Runtime.getRuntime().addShutdownHook(this.shutdownHook);
	}

	/**
	 * Starts a process and keeps track of it.
	 * @param builder what to start
	 * @return the started process
	 * @throws IOException if the process cannot start
	 */
	public Process start(ProcessBuilder builder) throws IOException {
		Process process = builder.start();
		this.processes.add(process);
		return process;
	}

	/**
	 * Kills every process started here that is still alive, and waits for each to exit.
	 */
	@Override
	public void close() {
		killAll();
		try {
			Runtime.getRuntime().removeShutdownHook(this.shutdownHook);
		}
		catch (IllegalStateException ex) {
			// The JVM is shutting down and the hook runs anyway
		}
	}

	private void killAll() {
		for (Process process : this.processes) {
			if (process.isAlive()) {
				process.destroyForcibly();
			}
		}
		for (Process process : this.processes) {
			try {
				process.waitFor(EXIT_WAIT_SECONDS, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		this.processes.removeIf((process) -> !process.isAlive());
	}

}
