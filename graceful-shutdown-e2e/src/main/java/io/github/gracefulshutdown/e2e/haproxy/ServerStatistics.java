package io.github.gracefulshutdown.e2e.haproxy;

import java.util.Arrays;
import java.util.List;

/**
 * Reads the CSV that HAProxy's {@code show stat} command answers.
 */
final class ServerStatistics {

	private ServerStatistics() {
	}

	/**
	 * Returns whether a server with the given status receives traffic: {@code UP}, or
	 * {@code UP 1/2} while HAProxy confirms a server that has just left maintenance,
	 * which already receives traffic, or {@code no check} for a server HAProxy does not
	 * health-check.
	 * @param status the status, as {@link #status(String, String, String)} returns it
	 * @return {@code true} if the server is in service
	 */
	static boolean inService(String status) {
		return status.startsWith("UP") || status.equals("no check");
	}

	/**
	 * Returns the {@code status} column of one server.
	 * @param csv the answer of {@code show stat}, whose first line is the header
	 * @param backend the backend ({@code pxname})
	 * @param server the server ({@code svname})
	 * @return the status
	 * @throws IllegalStateException if the server is not in the statistics
	 */
	static String status(String csv, String backend, String server) {
		List<String> lines = csv.lines().toList();
		if (lines.isEmpty() || !lines.get(0).startsWith("# ")) {
			throw new IllegalStateException("Not HAProxy statistics: " + csv);
		}
		List<String> header = Arrays.asList(lines.get(0).substring(2).split(",", -1));
		int proxyColumn = header.indexOf("pxname");
		int serverColumn = header.indexOf("svname");
		int statusColumn = header.indexOf("status");
		for (String line : lines.subList(1, lines.size())) {
			String[] fields = line.split(",", -1);
			if (fields.length > statusColumn && fields[proxyColumn].equals(backend)
					&& fields[serverColumn].equals(server)) {
				return fields[statusColumn];
			}
		}
		throw new IllegalStateException("No server " + backend + "/" + server + " in the statistics");
	}

}
