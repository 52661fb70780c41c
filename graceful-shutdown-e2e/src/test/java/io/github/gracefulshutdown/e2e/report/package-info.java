/**
 * Tests of the results table, the timeline chart and generated Markdown sections.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.report;

import org.jspecify.annotations.NullMarked;
