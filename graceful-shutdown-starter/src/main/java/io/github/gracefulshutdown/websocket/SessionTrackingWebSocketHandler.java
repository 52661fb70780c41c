package io.github.gracefulshutdown.websocket;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;

/**
 * Tells the drain when a session of the decorated handler opens and closes. Messages pass
 * through untouched.
 */
class SessionTrackingWebSocketHandler extends WebSocketHandlerDecorator {

	private final WebSocketSessionDrain drain;

	SessionTrackingWebSocketHandler(WebSocketHandler delegate, WebSocketSessionDrain drain) {
		super(delegate);
		this.drain = drain;
	}

	@Override
	public void afterConnectionEstablished(WebSocketSession session) throws Exception {
		this.drain.sessionOpened(session, new SpringSession(session));
		super.afterConnectionEstablished(session);
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus closeStatus) throws Exception {
		try {
			super.afterConnectionClosed(session, closeStatus);
		}
		finally {
			this.drain.sessionClosed(session);
		}
	}

}
