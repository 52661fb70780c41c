/**
 * Tests of the HAProxy configuration and of reading its statistics.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.haproxy;

import org.jspecify.annotations.NullMarked;
