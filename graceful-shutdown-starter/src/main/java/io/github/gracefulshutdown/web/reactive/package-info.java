/**
 * The drain on the reactive web stack (WebFlux, on Reactor Netty, Tomcat or Jetty): the
 * drain's view of every request and the completion of streaming responses.
 */
@NullMarked
package io.github.gracefulshutdown.web.reactive;

import org.jspecify.annotations.NullMarked;
