/**
 * gRPC integration for Spring gRPC's server: health that turns NOT_SERVING when the drain
 * starts, a GOAWAY and an in-flight drain within the shutdown's deadline, and calls still
 * running at the deadline ended with UNAVAILABLE.
 */
@NullMarked
package io.github.gracefulshutdown.grpc;

import org.jspecify.annotations.NullMarked;
