/**
 * Jetty integration: a graceful GOAWAY for the HTTP/2 connections of an embedded Jetty at
 * the end of the propagation window.
 */
@NullMarked
package io.github.gracefulshutdown.web.server.jetty;

import org.jspecify.annotations.NullMarked;
