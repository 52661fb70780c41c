/**
 * Reactor Netty integration: a graceful GOAWAY for the HTTP/2 connections of a Reactor
 * Netty server at the end of the propagation window.
 */
@NullMarked
package io.github.gracefulshutdown.web.server.netty;

import org.jspecify.annotations.NullMarked;
