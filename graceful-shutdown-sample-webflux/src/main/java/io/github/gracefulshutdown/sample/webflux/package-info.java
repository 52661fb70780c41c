/**
 * A sample WebFlux application on Reactor Netty that uses the graceful shutdown starter.
 */
@NullMarked
package io.github.gracefulshutdown.sample.webflux;

import org.jspecify.annotations.NullMarked;
