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
