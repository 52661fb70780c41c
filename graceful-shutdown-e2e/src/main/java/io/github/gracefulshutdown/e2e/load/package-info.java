/**
 * Steady load and the outcome of every request: the HTTP load generator, the pace and cap
 * every load generator shares, where requests go, and how each one ended.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.load;

import org.jspecify.annotations.NullMarked;
