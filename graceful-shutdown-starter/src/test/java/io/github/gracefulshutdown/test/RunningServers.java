package io.github.gracefulshutdown.test;

import java.util.ArrayList;
import java.util.List;

import io.github.gracefulshutdown.drain.PropagationWindow;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Starts {@link DrainTestApplication} on real embedded servers bound to 127.0.0.1 on
 * random ports, and closes whatever is left at the end of a test.
 */
public final class RunningServers implements AutoCloseable {

	private final List<ConfigurableApplicationContext> contexts = new ArrayList<>();

	/**
	 * Starts the test application.
	 * @param server the embedded server to use
	 * @param window a propagation window to use instead of the configured one, or
	 * {@code null}
	 * @param properties extra properties, as {@code key=value}
	 * @return the running application
	 */
	public ConfigurableApplicationContext start(TestServer server, @Nullable PropagationWindow window,
			String... properties) {
		return start(new Class<?>[0], server, window, properties);
	}

	/**
	 * Starts the test application with configuration of the test's own.
	 * @param sources configuration classes added to the test application
	 * @param server the embedded server to use
	 * @param window a propagation window to use instead of the configured one, or
	 * {@code null}
	 * @param properties extra properties, as {@code key=value}
	 * @return the running application
	 */
	public ConfigurableApplicationContext start(Class<?>[] sources, TestServer server,
			@Nullable PropagationWindow window, String... properties) {
		SpringApplicationBuilder builder = new SpringApplicationBuilder(DrainTestApplication.class).sources(sources)
			.properties(TestDefaults.PROPERTIES)
			.properties("server.port=0", "server.address=127.0.0.1", "management.endpoint.health.probes.enabled=true",
					"management.endpoints.web.exposure.include=health,metrics", server.selection());
		if (window != null) {
			builder.properties("graceful-shutdown.termination-grace-period=60s");
		}
		builder.properties(properties);
		if (window != null) {
			builder.initializers((context) -> context.getBeanFactory().registerSingleton("testWindow", window));
		}
		ConfigurableApplicationContext context = builder.run();
		this.contexts.add(context);
		return context;
	}

	/**
	 * Returns a port the application listens on.
	 * @param context the running application
	 * @param property {@code local.server.port} or {@code local.management.port}
	 * @return the port
	 */
	public static int port(ConfigurableApplicationContext context, String property) {
		return context.getEnvironment().getRequiredProperty(property, Integer.class);
	}

	@Override
	public void close() {
		this.contexts.forEach(ConfigurableApplicationContext::close);
	}

}
