/**
 * HAProxy as the load balancer in front of the pods: its configuration, its process and
 * its runtime API.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.haproxy;

import org.jspecify.annotations.NullMarked;
