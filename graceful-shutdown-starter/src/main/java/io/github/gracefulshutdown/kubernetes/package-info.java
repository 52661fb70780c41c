/**
 * Learns from the Kubernetes API server when the application's own endpoint has left its
 * Services' EndpointSlices, so that the propagation window follows the control plane.
 */
@NullMarked
package io.github.gracefulshutdown.kubernetes;

import org.jspecify.annotations.NullMarked;
