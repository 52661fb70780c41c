/**
 * Embedded web server integration: keeps the stop of Tomcat, Jetty and Reactor Netty
 * within the shutdown budget, and tells HTTP/2 clients to go away at the end of the
 * propagation window where the server allows it.
 */
@NullMarked
package io.github.gracefulshutdown.web.server;

import org.jspecify.annotations.NullMarked;
