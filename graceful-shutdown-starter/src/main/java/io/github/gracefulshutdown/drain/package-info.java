/**
 * The drain itself: one drain per application, its trigger, its phases and the
 * propagation window that keeps the application serving while load balancers catch up.
 */
@NullMarked
package io.github.gracefulshutdown.drain;

import org.jspecify.annotations.NullMarked;
