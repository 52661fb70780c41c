package io.github.gracefulshutdown.web.server;

import java.util.OptionalInt;

/**
 * Tells the clients of one web server's open HTTP/2 connections to go away: a graceful
 * GOAWAY on each, so that they open their next streams on a new connection, through their
 * load balancer, to another instance. The HTTP/2 counterpart of the
 * {@code Connection: close} that HTTP/1.x responses carry during the drain, which HTTP/2
 * forbids. Each web server that allows it has an implementation of its own, which an
 * {@link Http2GoAwayDrainListener} calls at the end of the propagation window.
 */
@FunctionalInterface
public interface Http2GoAwaySender {

	/**
	 * Starts a graceful GOAWAY on every open HTTP/2 connection and returns without
	 * waiting for the clients: the server still accepts connections, and the streams in
	 * flight are served to their end.
	 * @return the number of connections told to go away, or empty when the server does
	 * not say how many
	 */
	OptionalInt sendGoAway();

}
