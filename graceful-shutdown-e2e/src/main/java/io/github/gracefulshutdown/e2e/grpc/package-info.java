/**
 * The gRPC load: a grpc-java client that balances round robin between the pods whose
 * addresses the endpoints controller gives it, and the gRPC sample's methods it calls.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.grpc;

import org.jspecify.annotations.NullMarked;
