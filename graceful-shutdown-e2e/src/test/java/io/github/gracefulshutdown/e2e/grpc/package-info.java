/**
 * Tests of the gRPC load.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.grpc;

import org.jspecify.annotations.NullMarked;
