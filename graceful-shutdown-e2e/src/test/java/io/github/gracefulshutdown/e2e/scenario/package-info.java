/**
 * Tests of scenarios, variants and the matrix.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.scenario;

import org.jspecify.annotations.NullMarked;
