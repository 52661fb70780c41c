/**
 * Actuator integration: the drain endpoint, the preStop hook endpoint and the drain
 * health details.
 */
@NullMarked
package io.github.gracefulshutdown.actuate;

import org.jspecify.annotations.NullMarked;
