package io.github.gracefulshutdown.sample;

import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.web.socket.config.annotation.EnableWebSocket;
import org.springframework.web.socket.config.annotation.WebSocketConfigurer;
import org.springframework.web.socket.config.annotation.WebSocketHandlerRegistry;

/**
 * Serves the live feed at {@code /feed}.
 */
@Configuration(proxyBeanMethods = false)
@EnableWebSocket
@EnableScheduling
class FeedConfiguration implements WebSocketConfigurer {

	private final FeedHandler feedHandler;

	FeedConfiguration(FeedHandler feedHandler) {
		this.feedHandler = feedHandler;
	}

	@Override
	public void registerWebSocketHandlers(WebSocketHandlerRegistry registry) {
		registry.addHandler(this.feedHandler, "/feed");
	}

}
