/**
 * Auto-configuration of the drain: properties, the shutdown budget check and the glue
 * that ties the drain to the application context, readiness and the web server.
 */
@NullMarked
package io.github.gracefulshutdown.autoconfigure;

import org.jspecify.annotations.NullMarked;
