/**
 * Long-running tasks: registered through an API or covered executors, awaited during the
 * drain within a budget, and counted so that the platform sees the work a deployment
 * still holds.
 */
@NullMarked
package io.github.gracefulshutdown.task;

import org.jspecify.annotations.NullMarked;
