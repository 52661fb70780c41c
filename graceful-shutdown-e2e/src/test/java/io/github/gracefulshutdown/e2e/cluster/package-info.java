/**
 * Tests of the parts of Kubernetes the harness plays.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.cluster;

import org.jspecify.annotations.NullMarked;
