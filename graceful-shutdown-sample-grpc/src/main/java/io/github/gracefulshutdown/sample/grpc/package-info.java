/**
 * A sample gRPC service on Spring gRPC's Netty server that uses the graceful shutdown
 * starter.
 */
@NullMarked
package io.github.gracefulshutdown.sample.grpc;

import org.jspecify.annotations.NullMarked;
