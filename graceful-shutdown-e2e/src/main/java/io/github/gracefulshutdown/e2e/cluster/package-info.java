/**
 * The parts of Kubernetes the harness plays: the kubelet that stops pods, the endpoints
 * that route to them and the rolling restart.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.cluster;

import org.jspecify.annotations.NullMarked;
