/**
 * Embedded web server integration: keeps the stop of Tomcat and Jetty within the shutdown
 * budget.
 */
@NullMarked
package io.github.gracefulshutdown.web.server;

import org.jspecify.annotations.NullMarked;
