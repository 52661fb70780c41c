package io.github.gracefulshutdown.websocket;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;

import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.FilteredClassLoader;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link NativeConnections}.
 */
class NativeConnectionsTests {

	/**
	 * A WebFlux application on Reactor Netty has no Jakarta WebSocket API: a session that
	 * no server's support knows (one Spring wrapped, say) must not make the drain fail
	 * with a {@link NoClassDefFoundError}.
	 */
	@Test
	void withoutTheJakartaWebSocketApiASessionItDoesNotKnowIsReportedUnknown() throws Exception {
		URL starterClasses = NativeConnections.class.getProtectionDomain().getCodeSource().getLocation();
		ClassLoader withoutJakartaWebSocket = new FilteredClassLoader("jakarta.websocket.",
				"org.apache.tomcat.websocket.", "org.eclipse.jetty.websocket.", "org.eclipse.jetty.ee11.websocket.",
				NativeConnections.class.getPackageName() + ".");
		try (URLClassLoader loader = new URLClassLoader(new URL[] { starterClasses }, withoutJakartaWebSocket)) {
			Class<?> nativeConnections = loader.loadClass(NativeConnections.class.getName());
			assertThat(nativeConnections.getClassLoader()).isSameAs(loader);
			Method isClosed = nativeConnections.getMethod("isClosed", Object.class);

			assertThat(isClosed.invoke(null, new Object())).isNull();
		}
	}

}
