package io.github.gracefulshutdown.e2e.process;

/**
 * A line a child process wrote to its output.
 *
 * @param readNanos when the harness read it, in {@link System#nanoTime()}
 * @param text the line without its line terminator
 */
public record OutputLine(long readNanos, String text) {

}
