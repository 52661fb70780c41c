/**
 * What every web stack's integration shares: telling probes and actuator requests apart
 * from traffic, and requests for event streams from other requests.
 */
@NullMarked
package io.github.gracefulshutdown.web;

import org.jspecify.annotations.NullMarked;
