package io.github.gracefulshutdown.drain;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The top of a thread's stack, for a log message that says where the thread is stuck.
 */
public final class ThreadStack {

	private static final int FRAMES_SHOWN = 12;

	private ThreadStack() {
	}

	/**
	 * Returns the top frames of a thread's stack, each on a line of its own.
	 * @param thread the thread
	 * @return the frames, each preceded by a line separator
	 */
	public static String of(Thread thread) {
		return Arrays.stream(thread.getStackTrace())
			.limit(FRAMES_SHOWN)
			.map((frame) -> System.lineSeparator() + "\tat " + frame)
			.collect(Collectors.joining());
	}

}
