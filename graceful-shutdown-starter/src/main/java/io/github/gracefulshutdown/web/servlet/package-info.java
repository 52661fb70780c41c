/**
 * Servlet integration: tracks requests in flight and tells keep-alive clients to
 * reconnect elsewhere during the drain.
 */
@NullMarked
package io.github.gracefulshutdown.web.servlet;

import org.jspecify.annotations.NullMarked;
