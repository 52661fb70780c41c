package io.github.gracefulshutdown.websocket.reactive;

import java.net.URI;

import jakarta.websocket.Session;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.web.reactive.socket.HandshakeInfo;
import org.springframework.web.reactive.socket.WebSocketSession;
import org.springframework.web.reactive.socket.adapter.JettyWebSocketSession;
import org.springframework.web.reactive.socket.adapter.StandardWebSocketSession;
import org.springframework.web.reactive.socket.adapter.TomcatWebSocketSession;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * Tests for {@link NativeSessions}: they fail if Spring stops keeping the server's own
 * session where the drain reaches it.
 */
class NativeSessionsTests {

	private final HandshakeInfo handshake = new HandshakeInfo(URI.create("ws://localhost/echo"), new HttpHeaders(),
			Mono.empty(), null);

	@Test
	void whenTheSessionIsTomcatsThenItsJakartaSessionIsReached() {
		Session jakartaSession = jakartaSession();
		WebSocketSession session = new TomcatWebSocketSession(jakartaSession, this.handshake,
				DefaultDataBufferFactory.sharedInstance);

		assertThat(NativeSessions.of(session)).isSameAs(jakartaSession);
	}

	@Test
	void whenTheSessionIsAStandardOneThenItsJakartaSessionIsReached() {
		Session jakartaSession = jakartaSession();
		WebSocketSession session = new StandardWebSocketSession(jakartaSession, this.handshake,
				DefaultDataBufferFactory.sharedInstance);

		assertThat(NativeSessions.of(session)).isSameAs(jakartaSession);
	}

	@Test
	void whenTheSessionIsJettysThenJettysOwnSessionIsReached() {
		org.eclipse.jetty.websocket.api.Session jettySession = mock();
		WebSocketSession session = new JettyWebSocketSession(jettySession, this.handshake,
				DefaultDataBufferFactory.sharedInstance);

		assertThat(NativeSessions.of(session)).isSameAs(jettySession);
	}

	@Test
	void whenTheSessionIsTheApplicationsOwnThenThereIsNone() {
		assertThat(NativeSessions.of(mock(WebSocketSession.class))).isNull();
	}

	private static Session jakartaSession() {
		Session session = mock();
		given(session.getId()).willReturn("1");
		return session;
	}

}
