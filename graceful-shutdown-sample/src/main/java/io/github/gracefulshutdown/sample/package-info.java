/**
 * A sample application that uses the graceful shutdown starter.
 */
@NullMarked
package io.github.gracefulshutdown.sample;

import org.jspecify.annotations.NullMarked;
