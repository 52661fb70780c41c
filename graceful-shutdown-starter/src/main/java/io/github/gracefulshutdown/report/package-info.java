/**
 * The drain report: what each drain did, as one structured log line and, on Kubernetes,
 * the container's termination message.
 */
@NullMarked
package io.github.gracefulshutdown.report;

import org.jspecify.annotations.NullMarked;
