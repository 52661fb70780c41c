/**
 * Child processes of the harness: the sample application's JVMs, and the registry that
 * makes sure none outlives a run.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.process;

import org.jspecify.annotations.NullMarked;
