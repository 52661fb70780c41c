package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample application, started in this JVM the way a container of a manifest starts
 * it: the container's environment variables (and the two every pod gets) are its only
 * ones, its {@code args} are the application's arguments, and it runs on Kubernetes. Only
 * the ports differ: each server listens on a free port of 127.0.0.1 instead of the port
 * its configuration declares, and a port of the manifest is resolved as the kubelet
 * resolves it (a name to the container port of that name), then to the server that
 * declares that port.
 */
final class SampleContainer implements AutoCloseable {

	private static final int DEFAULT_SERVER_PORT = 8080;

	private final Container container;

	private final DeclaredPorts declared;

	private final ConfigurableApplicationContext context;

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private SampleContainer(Container container, DeclaredPorts declared, ConfigurableApplicationContext context) {
		this.container = container;
		this.declared = declared;
		this.context = context;
	}

	/**
	 * Starts the sample as the given container would run it.
	 * @param container the container of a manifest
	 * @return the running application
	 */
	static SampleContainer start(Container container) {
		assertThat(container.getCommand()).as("command of container %s", container.getName()).isNullOrEmpty();
		Map<String, Object> variables = new LinkedHashMap<>();
		// Set in every container of a pod; Spring Boot detects Kubernetes by the first
		// two, and HOSTNAME is the pod's name
		variables.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
		variables.put("KUBERNETES_SERVICE_PORT", "443");
		variables.put("HOSTNAME", "graceful-shutdown-sample-5f7c9d8b6-q2w4x");
		for (EnvVar variable : container.getEnv()) {
			assertThat(variable.getValueFrom())
				.as("valueFrom of %s: only literal values can be checked", variable.getName())
				.isNull();
			variables.put(variable.getName(), variable.getValue());
		}
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setEnvironment(environment);
		application.setDefaultProperties(Map.of("spring.main.cloud-platform", "kubernetes"));
		DeclaredPorts declared = new DeclaredPorts();
		application.addInitializers(declared);
		ConfigurableApplicationContext context = application.run(container.getArgs().toArray(String[]::new));
		return new SampleContainer(container, declared, context);
	}

	/**
	 * Returns a bean of the running application.
	 * @param <T> its type
	 * @param type its type
	 * @return the bean
	 */
	<T> T bean(Class<T> type) {
		return this.context.getBean(type);
	}

	/**
	 * Returns whether the running application has a bean of the given type.
	 * @param type its type
	 * @return {@code true} if it has one
	 */
	boolean hasBean(Class<?> type) {
		return this.context.getBeanProvider(type).getIfAvailable() != null;
	}

	/**
	 * Tells which server of the application listens on a port of the manifest.
	 * @param port a port name or number, as in a probe, a hook or a Service's target port
	 * @return the server that declares the port
	 */
	Server serverOf(IntOrString port) {
		int containerPort = containerPort(port);
		if (this.declared.hasManagementServer() && containerPort == this.declared.managementPort) {
			return Server.MANAGEMENT;
		}
		assertThat(containerPort)
			.as("container port %d: the application listens on server.port %d and management.server.port %s",
					containerPort, this.declared.serverPort, this.declared.managementPort)
			.isEqualTo(this.declared.serverPort);
		return Server.MAIN;
	}

	/**
	 * Sends a GET as the kubelet or a scraper would, to the server that declares the
	 * port.
	 * @param port a port name or number of the manifest
	 * @param path the path
	 * @param headers the headers to send
	 * @return the response
	 * @throws IOException if the request fails
	 * @throws InterruptedException if interrupted while waiting for the response
	 */
	HttpResponse<String> get(IntOrString port, String path, List<HTTPHeader> headers)
			throws IOException, InterruptedException {
		String localPortProperty = (serverOf(port) == Server.MANAGEMENT) ? "local.management.port"
				: "local.server.port";
		Integer localPort = this.context.getEnvironment().getProperty(localPortProperty, Integer.class);
		URI uri = URI.create("http://127.0.0.1:" + Objects.requireNonNull(localPort, localPortProperty) + path);
		HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30));
		headers.forEach((header) -> request.header(header.getName(), header.getValue()));
		return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private int containerPort(IntOrString port) {
		if (port.getIntVal() != null) {
			return port.getIntVal();
		}
		List<ContainerPort> ports = this.container.getPorts();
		return ports.stream()
			.filter((candidate) -> port.getStrVal().equals(candidate.getName()))
			.map(ContainerPort::getContainerPort)
			.findFirst()
			.orElseThrow(() -> new AssertionError("Port '%s' names no port of container %s: %s"
				.formatted(port.getStrVal(), this.container.getName(), ports)));
	}

	@Override
	public void close() {
		this.context.close();
	}

	/**
	 * The servers of the application.
	 */
	enum Server {

		/**
		 * The server on {@code server.port}.
		 */
		MAIN,

		/**
		 * The management server on {@code management.server.port}, when it has a port of
		 * its own.
		 */
		MANAGEMENT

	}

	/**
	 * Notes the ports the application's configuration declares, then moves each server to
	 * a free port of 127.0.0.1.
	 */
	private static final class DeclaredPorts implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		private int serverPort;

		private Integer managementPort;

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			Binder binder = Binder.get(context.getEnvironment());
			this.serverPort = binder.bind("server.port", Integer.class).orElse(DEFAULT_SERVER_PORT);
			this.managementPort = binder.bind("management.server.port", Integer.class).orElse(null);
			Map<String, Object> local = new LinkedHashMap<>();
			local.put("server.port", 0);
			local.put("server.address", "127.0.0.1");
			if (hasManagementServer()) {
				local.put("management.server.port", 0);
				local.put("management.server.address", "127.0.0.1");
			}
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("localPorts", local));
		}

		boolean hasManagementServer() {
			return this.managementPort != null && this.managementPort != this.serverPort;
		}

	}

}
