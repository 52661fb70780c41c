/**
 * The gRPC load: a grpc-java client that balances round robin between the pods whose
 * addresses the endpoints controller gives it, with steady unary calls and a tick
 * subscription that resumes wherever a stream ends, and the gRPC sample's methods it
 * calls.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.grpc;

import org.jspecify.annotations.NullMarked;
