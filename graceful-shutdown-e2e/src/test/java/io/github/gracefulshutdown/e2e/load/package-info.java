/**
 * Tests of request outcomes and of client-side load balancing.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.load;

import org.jspecify.annotations.NullMarked;
