package io.github.gracefulshutdown.websocket;

import java.lang.ref.WeakReference;
import java.lang.reflect.Proxy;
import java.time.Duration;

import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link ServerEndpointSessions}.
 */
class ServerEndpointSessionsTests {

	private final WebSocketSessionDrain drain = new WebSocketSessionDrain(
			new ClosePolicy(1001, "Server shutting down", Duration.ofSeconds(2), Duration.ofSeconds(3)));

	private final ServerEndpointSessions sessions = new ServerEndpointSessions(this.drain);

	@Test
	void aTrackedSessionThatTheContainerHasLetGoOfCanBeCollectedBeforeTheNextSweep() {
		WeakReference<Session> closed = new WeakReference<>(trackSession("1"));

		await().atMost(Duration.ofSeconds(10)).until(() -> {
			System.gc();
			return closed.get() == null;
		});
		assertThat(this.drain.stats().getOpenSessions()).isZero();
	}

	@Test
	void aTrackedSessionThatIsStillOpenCounts() {
		Session open = trackSession("2");

		assertThat(this.drain.stats().getOpenSessions()).isOne();
		assertThat(open.isOpen()).isTrue();
	}

	@Test
	void aSessionTrackedTwiceIsTrackedOnce() {
		Session open = trackSession("3");
		this.sessions.track(open);

		assertThat(this.drain.stats().getOpenSessions()).isOne();
	}

	/**
	 * Tracks a session that is open until nothing holds it any more, as a container's
	 * session is until the container forgets it once it has closed.
	 */
	private Session trackSession(String id) {
		Session session = (Session) Proxy.newProxyInstance(getClass().getClassLoader(),
				new Class<?>[] { Session.class }, (proxy, method, arguments) -> switch (method.getName()) {
					case "isOpen" -> true;
					case "getId" -> id;
					case "hashCode" -> System.identityHashCode(proxy);
					case "equals" -> proxy == arguments[0];
					case "toString" -> "session " + id;
					default -> throw new UnsupportedOperationException(method.getName());
				});
		this.sessions.track(session);
		return session;
	}

}
