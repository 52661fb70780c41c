package io.github.gracefulshutdown.test;

import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;

/**
 * A console appender that takes 20 ms to write each event, as an appender writing to a
 * slow disk or a remote log server would, interrupted or not (as a write blocked in I/O
 * is): behind an asynchronous appender, the last events logged before the JVM halts are
 * still queued.
 */
public class SlowConsoleAppender extends ConsoleAppender<ILoggingEvent> {

	@Override
	protected void append(ILoggingEvent event) {
		long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(20);
		for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
			try {
				TimeUnit.NANOSECONDS.sleep(left);
			}
			catch (InterruptedException ex) {
				// Slow all the same; the asynchronous appender stops on its own flag
			}
		}
		super.append(event);
	}

}
