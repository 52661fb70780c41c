package io.github.gracefulshutdown.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Prometheus' {@code promtool}, found on the {@code PATH} (Debian and Ubuntu install it
 * with the {@code prometheus} package).
 */
final class Promtool {

	private final Path executable;

	private Promtool(Path executable) {
		this.executable = executable;
	}

	/**
	 * Finds {@code promtool} on the {@code PATH}.
	 * @return the tool, or empty when it is not installed
	 */
	static Optional<Promtool> find() {
		String path = Objects.requireNonNullElse(System.getenv("PATH"), "");
		for (String directory : path.split(File.pathSeparator)) {
			if (!directory.isEmpty()) {
				Path candidate = Path.of(directory, "promtool");
				if (Files.isExecutable(candidate)) {
					return Optional.of(new Promtool(candidate));
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Runs {@code promtool} in the directory of the given file and asserts that it
	 * succeeds.
	 * @param command the command and its options, such as {@code check rules}
	 * @param file the file to check
	 * @return what it printed
	 * @throws IOException if it cannot be run
	 * @throws InterruptedException if interrupted while waiting for it
	 */
	String run(String command, Path file) throws IOException, InterruptedException {
		List<String> arguments = new ArrayList<>();
		arguments.add(this.executable.toString());
		arguments.addAll(List.of(command.split(" ")));
		arguments.add(file.getFileName().toString());
		Process process = new ProcessBuilder(arguments).directory(file.toAbsolutePath().getParent().toFile())
			.redirectErrorStream(true)
			.start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		assertThat(process.waitFor(1, TimeUnit.MINUTES)).as("promtool %s %s finished", command, file).isTrue();
		assertThat(process.exitValue()).as("promtool %s %s:%n%s", command, file, output).isZero();
		return output;
	}

}
