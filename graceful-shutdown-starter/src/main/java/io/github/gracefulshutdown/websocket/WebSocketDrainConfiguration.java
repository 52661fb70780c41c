package io.github.gracefulshutdown.websocket;

import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.drain.DrainCoordinator;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The part of the WebSocket drain that every web stack shares: the drain with its close
 * policy, its counts, the listener that closes the sessions at shutdown, the report
 * figures and the budget allotment. Each stack's auto-configuration imports it and adds
 * what hands its sessions to the drain, so that sessions are closed, counted and budgeted
 * alike whichever stack serves them.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(WebSocketDrainProperties.class)
public class WebSocketDrainConfiguration {

	@Bean
	WebSocketSessionDrain webSocketSessionDrain(WebSocketDrainProperties properties) {
		return new WebSocketSessionDrain(ClosePolicy.of(properties));
	}

	@Bean
	WebSocketDrainStats webSocketDrainStats(WebSocketSessionDrain drain) {
		return drain.stats();
	}

	@Bean
	WebSocketDrainTrigger webSocketDrainTrigger(ApplicationContext context, DrainCoordinator coordinator,
			WebSocketSessionDrain drain) {
		return new WebSocketDrainTrigger(context, coordinator, drain);
	}

	@Bean
	DrainBudget.Allotment webSocketDrainAllotment(WebSocketSessionDrain drain) {
		return new DrainBudget.Allotment("websocket drain",
				ClosePolicy.PREFIX + "close-spread + " + ClosePolicy.PREFIX + "close-timeout",
				drain.policy().longest());
	}

}
