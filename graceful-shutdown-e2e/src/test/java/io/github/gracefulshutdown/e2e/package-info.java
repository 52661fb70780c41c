/**
 * Rolling restarts of the sample application under load, end to end.
 */
@NullMarked
package io.github.gracefulshutdown.e2e;

import org.jspecify.annotations.NullMarked;
