/**
 * The results of scenarios as a Markdown table and as SVG timeline charts.
 */
@NullMarked
package io.github.gracefulshutdown.e2e.report;

import org.jspecify.annotations.NullMarked;
