package io.github.gracefulshutdown.websocket;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties for closing WebSocket sessions during the drain.
 */
@ConfigurationProperties("graceful-shutdown.websocket")
public class WebSocketDrainProperties {

	/**
	 * Whether to close the application's WebSocket sessions with a close frame after the
	 * propagation window, before the web server's graceful shutdown. When not set, a
	 * WebFlux application always does, and a Spring MVC application does when it declares
	 * WebSocket endpoints (@EnableWebSocket, @EnableWebSocketMessageBroker, or a
	 * WebSocketConfigurer, WebSocketHandler, WebSocketHttpRequestHandler,
	 * ServerEndpointExporter or ServerEndpointConfig bean).
	 */
	private @Nullable Boolean enabled;

	/**
	 * Close code sent to every open session: 1001 (Going Away) or 1012 (Service Restart),
	 * or 1000, 1013, or an application code from 3000 to 4999.
	 */
	private int closeCode = 1001;

	/**
	 * Reason sent with the close code: at most 123 bytes in UTF-8.
	 */
	private String closeReason = "Server shutting down";

	/**
	 * Time over which close frames are spread, each session at a random moment within it,
	 * so that clients do not all reconnect at once.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration closeSpread = Duration.ofSeconds(2);

	/**
	 * How long to wait, after the last close frame, for clients to answer it (or, when
	 * they have stopped reading, to take it) before their connections are dropped.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration closeTimeout = Duration.ofSeconds(3);

	public @Nullable Boolean getEnabled() {
		return this.enabled;
	}

	public void setEnabled(@Nullable Boolean enabled) {
		this.enabled = enabled;
	}

	public int getCloseCode() {
		return this.closeCode;
	}

	public void setCloseCode(int closeCode) {
		this.closeCode = closeCode;
	}

	public String getCloseReason() {
		return this.closeReason;
	}

	public void setCloseReason(String closeReason) {
		this.closeReason = closeReason;
	}

	public Duration getCloseSpread() {
		return this.closeSpread;
	}

	public void setCloseSpread(Duration closeSpread) {
		this.closeSpread = closeSpread;
	}

	public Duration getCloseTimeout() {
		return this.closeTimeout;
	}

	public void setCloseTimeout(Duration closeTimeout) {
		this.closeTimeout = closeTimeout;
	}

}
