package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;

/**
 * A live feed: every connected client gets a tick every second. Nothing here knows about
 * shutdown; the starter closes the sessions with a close frame when the application
 * stops.
 */
@Component
class FeedHandler extends TextWebSocketHandler {

	private static final Log logger = LogFactory.getLog(FeedHandler.class);

	private static final int SEND_TIME_LIMIT_MILLIS = 5_000;

	private static final int BUFFER_SIZE_LIMIT = 64 * 1024;

	private final Map<String, WebSocketSession> sessions = new ConcurrentHashMap<>();

	@Override
	public void afterConnectionEstablished(WebSocketSession session) {
		this.sessions.put(session.getId(),
				new ConcurrentWebSocketSessionDecorator(session, SEND_TIME_LIMIT_MILLIS, BUFFER_SIZE_LIMIT));
	}

	@Override
	public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
		this.sessions.remove(session.getId());
	}

	@Scheduled(fixedRate = 1000)
	void tick() {
		TextMessage tick = new TextMessage("tick " + Instant.now());
		for (WebSocketSession session : this.sessions.values()) {
			try {
				if (session.isOpen()) {
					session.sendMessage(tick);
				}
			}
			catch (IOException | IllegalStateException ex) {
				logger.debug("Could not send a tick to session " + session.getId(), ex);
			}
		}
	}

}
