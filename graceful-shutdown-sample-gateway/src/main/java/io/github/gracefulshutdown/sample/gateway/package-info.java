/**
 * A sample Spring Cloud Gateway (server-webflux) that uses the graceful shutdown starter.
 */
@NullMarked
package io.github.gracefulshutdown.sample.gateway;

import org.jspecify.annotations.NullMarked;
