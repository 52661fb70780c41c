/**
 * Tomcat integration: a graceful GOAWAY for the HTTP/2 connections of an embedded Tomcat
 * at the end of the propagation window.
 */
@NullMarked
package io.github.gracefulshutdown.web.server.tomcat;

import org.jspecify.annotations.NullMarked;
