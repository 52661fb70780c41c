/**
 * A small web application whose startup is measured with and without the starter.
 */
@NullMarked
package io.github.gracefulshutdown.startup;

import org.jspecify.annotations.NullMarked;
