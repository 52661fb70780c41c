/**
 * Closes WebSocket sessions after the propagation window and before the web server's
 * graceful shutdown, with a close frame, spread over time and bounded by a deadline.
 */
@NullMarked
package io.github.gracefulshutdown.websocket;

import org.jspecify.annotations.NullMarked;
