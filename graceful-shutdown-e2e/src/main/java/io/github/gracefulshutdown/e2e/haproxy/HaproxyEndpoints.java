package io.github.gracefulshutdown.e2e.haproxy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;

import io.github.gracefulshutdown.e2e.cluster.Endpoints;

import static org.awaitility.Awaitility.await;

/**
 * The endpoints of the pods as HAProxy's backend: a removed pod's server goes into
 * maintenance, and a replacement is put back at its new address. It is in service as soon
 * as HAProxy reports it in service: {@code UP}, or {@code UP 1/2} while HAProxy confirms
 * a server that has just left maintenance, which already receives traffic, or
 * {@code no check} without health checks.
 */
public final class HaproxyEndpoints implements Endpoints {

	private static final Duration IN_SERVICE_TIMEOUT = Duration.ofSeconds(30);

	private static final Duration POLL_INTERVAL = Duration.ofMillis(100);

	private final HaproxyRuntimeApi runtimeApi;

	/**
	 * Creates the endpoints of HAProxy's backend.
	 * @param runtimeApi the runtime API of the HAProxy
	 */
	public HaproxyEndpoints(HaproxyRuntimeApi runtimeApi) {
		this.runtimeApi = runtimeApi;
	}

	@Override
	public void add(String pod, String instance, int port) {
		try {
			this.runtimeApi.setServerAddress(HaproxyConfiguration.BACKEND, pod, port);
			this.runtimeApi.setServerState(HaproxyConfiguration.BACKEND, pod, "ready");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		await().alias(pod + " up in HAProxy")
			.atMost(IN_SERVICE_TIMEOUT)
			.pollInterval(POLL_INTERVAL)
			.until(() -> this.runtimeApi.inService(HaproxyConfiguration.BACKEND, pod));
	}

	@Override
	public void remove(String pod) {
		try {
			this.runtimeApi.setServerState(HaproxyConfiguration.BACKEND, pod, "maint");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
