/**
 * Micrometer meters for the drain, and the closing of meter registries deferred until the
 * drain has completed.
 */
@NullMarked
package io.github.gracefulshutdown.metrics;

import org.jspecify.annotations.NullMarked;
