package io.github.gracefulshutdown.e2e.load;

import java.net.URI;

import org.jspecify.annotations.Nullable;

/**
 * Where to send one request.
 *
 * @param baseUri the base URI of a load balancer or of an instance
 * @param instance the instance behind it when the client chose it, {@code null} behind a
 * load balancer
 */
public record Route(URI baseUri, @Nullable String instance) {

}
