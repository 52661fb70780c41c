/**
 * Scenarios of a rolling restart under load, the variants of the application they
 * compare, and how a scenario runs.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.scenario;

import org.jspecify.annotations.NullMarked;
