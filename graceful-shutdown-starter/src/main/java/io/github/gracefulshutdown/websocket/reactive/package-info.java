/**
 * Hands the sessions of WebFlux WebSocket handlers to the WebSocket drain, and turns
 * their handshakes away once the drain closes sessions.
 */
@NullMarked
package io.github.gracefulshutdown.websocket.reactive;

import org.jspecify.annotations.NullMarked;
