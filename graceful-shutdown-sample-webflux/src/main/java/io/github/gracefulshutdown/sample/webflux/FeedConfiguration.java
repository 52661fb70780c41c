package io.github.gracefulshutdown.sample.webflux;

import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.web.reactive.HandlerMapping;
import org.springframework.web.reactive.handler.SimpleUrlHandlerMapping;

/**
 * Serves the live feed at {@code /feed}.
 */
@Configuration(proxyBeanMethods = false)
class FeedConfiguration {

	@Bean
	HandlerMapping feedHandlerMapping(FeedHandler feedHandler) {
		return new SimpleUrlHandlerMapping(Map.of("/feed", feedHandler), Ordered.HIGHEST_PRECEDENCE);
	}

}
