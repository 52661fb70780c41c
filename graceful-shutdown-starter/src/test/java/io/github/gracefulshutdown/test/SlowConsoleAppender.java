package io.github.gracefulshutdown.test;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;

/**
 * A console appender that takes 20 ms to write each event, as an appender writing to a
 * slow disk or a remote log server would: behind an asynchronous appender, the last
 * events logged before the JVM halts are still queued.
 */
public class SlowConsoleAppender extends ConsoleAppender<ILoggingEvent> {

	@Override
	protected void append(ILoggingEvent event) {
		try {
			Thread.sleep(20);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		super.append(event);
	}

}
