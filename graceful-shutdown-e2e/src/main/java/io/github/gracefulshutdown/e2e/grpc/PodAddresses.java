package io.github.gracefulshutdown.e2e.grpc;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.URI;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.gracefulshutdown.e2e.cluster.Endpoints;
import io.grpc.EquivalentAddressGroup;
import io.grpc.NameResolver;
import io.grpc.NameResolverProvider;
import io.grpc.StatusOr;
import io.grpc.SynchronizationContext;
import org.jspecify.annotations.Nullable;

/**
 * The pods' addresses as a gRPC client learns them, like a headless Service's DNS answer
 * or an EndpointSlice watch: the endpoints controller adds and removes pods, and every
 * channel that resolves {@link #target()} gets the new list at once. The channel's load
 * balancing then connects to the pods added and closes its connections to the pods
 * removed; there is no health check, so a pod is dropped only when its removal arrives,
 * after the propagation lag.
 */
public final class PodAddresses extends NameResolverProvider implements Endpoints {

	private static final AtomicInteger schemes = new AtomicInteger();

	private static final String AUTHORITY = "sample-grpc";

	private final String scheme = "pods" + schemes.incrementAndGet();

	private final Map<String, InetSocketAddress> addressesByPod = new LinkedHashMap<>();

	private final Set<Resolver> resolvers = ConcurrentHashMap.newKeySet();

	/**
	 * Returns the target to build a channel for, which only this provider resolves.
	 * @return the target, such as {@code pods1:///sample-grpc}
	 */
	public String target() {
		return this.scheme + ":///" + AUTHORITY;
	}

	@Override
	public void add(String pod, String instance, int port) {
		List<EquivalentAddressGroup> addresses;
		synchronized (this.addressesByPod) {
			this.addressesByPod.put(pod, new InetSocketAddress("127.0.0.1", port));
			addresses = addresses();
		}
		this.resolvers.forEach((resolver) -> resolver.publish(addresses));
	}

	@Override
	public void remove(String pod) {
		List<EquivalentAddressGroup> addresses;
		synchronized (this.addressesByPod) {
			this.addressesByPod.remove(pod);
			addresses = addresses();
		}
		this.resolvers.forEach((resolver) -> resolver.publish(addresses));
	}

	private List<EquivalentAddressGroup> addresses() {
		return this.addressesByPod.values().stream().map(EquivalentAddressGroup::new).toList();
	}

	@Override
	public @Nullable NameResolver newNameResolver(URI targetUri, NameResolver.Args args) {
		if (!this.scheme.equals(targetUri.getScheme())) {
			return null;
		}
		return new Resolver(args.getSynchronizationContext());
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

	/**
	 * The resolver of one channel. Its listener is called on the channel's
	 * synchronization context, as gRPC requires.
	 */
	private final class Resolver extends NameResolver {

		private final SynchronizationContext synchronizationContext;

		private @Nullable Listener2 listener;

		Resolver(SynchronizationContext synchronizationContext) {
			this.synchronizationContext = synchronizationContext;
		}

		@Override
		public String getServiceAuthority() {
			return AUTHORITY;
		}

		@Override
		public void start(Listener2 listener) {
			this.listener = listener;
			PodAddresses.this.resolvers.add(this);
			refresh();
		}

		@Override
		public void refresh() {
			List<EquivalentAddressGroup> addresses;
			synchronized (PodAddresses.this.addressesByPod) {
				addresses = addresses();
			}
			publish(addresses);
		}

		void publish(List<EquivalentAddressGroup> addresses) {
			this.synchronizationContext.execute(() -> {
				if (this.listener != null) {
					this.listener.onResult2(
							ResolutionResult.newBuilder().setAddressesOrError(StatusOr.fromValue(addresses)).build());
				}
			});
		}

		@Override
		public void shutdown() {
			PodAddresses.this.resolvers.remove(this);
			this.listener = null;
		}

	}

}
