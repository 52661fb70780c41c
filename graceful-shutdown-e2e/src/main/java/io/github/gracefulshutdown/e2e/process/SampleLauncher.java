package io.github.gracefulshutdown.e2e.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts instances of the sample application's executable jar on random ports of
 * 127.0.0.1, each with the same application arguments.
 */
public final class SampleLauncher {

	/**
	 * JVM options of every instance: a small heap, and a JIT and garbage collector that
	 * start fast and leave CPU to the others on a small machine.
	 */
	static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	private final Path jar;

	private final Path logDirectory;

	private final ChildProcesses children;

	private final List<String> arguments;

	/**
	 * Creates a launcher.
	 * @param jar the sample application's executable jar
	 * @param logDirectory where each instance's output is copied, as {@code NAME.log}
	 * @param children the registry that owns the processes
	 * @param arguments application arguments for every instance, such as
	 * {@code --graceful-shutdown.delay=3s}
	 */
	public SampleLauncher(Path jar, Path logDirectory, ChildProcesses children, List<String> arguments) {
		this.jar = jar;
		this.logDirectory = logDirectory;
		this.children = children;
		this.arguments = List.copyOf(arguments);
	}

	/**
	 * Starts an instance and returns at once; use
	 * {@link SampleInstance#awaitReady(java.time.Duration)} to wait for it to serve.
	 * @param name the instance name, sent back in the {@code X-Instance} header
	 * @return the starting instance
	 * @throws IOException if the process cannot start
	 */
	public SampleInstance launch(String name) throws IOException {
		if (!Files.isRegularFile(this.jar)) {
			throw new IllegalStateException("No sample jar at " + this.jar + "; build the sample module first");
		}
		Files.createDirectories(this.logDirectory);
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = new ArrayList<>();
		command.add(java);
		command.addAll(JVM_OPTIONS);
		command.addAll(List.of("-jar", this.jar.toString(), "--server.port=0", "--server.address=127.0.0.1",
				"--sample.instance=" + name));
		command.addAll(this.arguments);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		// The scenario decides whether the instances run on Kubernetes, not the machine
		// it runs on
		builder.environment().remove("KUBERNETES_SERVICE_HOST");
		builder.environment().remove("KUBERNETES_SERVICE_PORT");
		Process process = this.children.start(builder);
		return new SampleInstance(name, process, this.logDirectory.resolve(name + ".log"));
	}

}
