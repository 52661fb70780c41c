package io.github.gracefulshutdown.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;

/**
 * Resolves every target of its scheme to the one server the test names, as DNS or a
 * headless Service would, and answers with the server named last whenever the channel
 * asks again (which gRPC channels do when a connection goes away).
 */
final class SwitchableNameResolverProvider extends NameResolverProvider {

	private final String scheme;

	private final AtomicReference<InetSocketAddress> server;

	SwitchableNameResolverProvider(String scheme, InetSocketAddress server) {
		this.scheme = scheme;
		this.server = new AtomicReference<>(server);
	}

	/**
	 * Names the server the next resolution answers with.
	 * @param server the server's address
	 */
	void switchTo(InetSocketAddress server) {
		this.server.set(server);
	}

	@Override
	public NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!this.scheme.equals(targetUri.getScheme())) {
			return null;
		}
		return new NameResolver() {

			private Listener2 listener;

			@Override
			public String getServiceAuthority() {
				return "echo";
			}

			@Override
			public void start(Listener2 listener) {
				this.listener = listener;
				refresh();
			}

			@Override
			public void refresh() {
				EquivalentAddressGroup address = new EquivalentAddressGroup(
						SwitchableNameResolverProvider.this.server.get());
				this.listener.onResult(ResolutionResult.newBuilder().setAddresses(List.of(address)).build());
			}

			@Override
			public void shutdown() {
			}

		};
	}

	@Override
	public String getDefaultScheme() {
		return this.scheme;
	}

	@Override
	protected boolean isAvailable() {
		return true;
	}

	@Override
	protected int priority() {
		return 5;
	}

	@Override
	public Collection<Class<? extends SocketAddress>> getProducedSocketAddressTypes() {
		return List.of(InetSocketAddress.class);
	}

}
