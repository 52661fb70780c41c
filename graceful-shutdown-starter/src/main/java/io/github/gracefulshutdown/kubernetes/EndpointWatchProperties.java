package io.github.gracefulshutdown.kubernetes;

import java.time.Duration;
import java.time.temporal.ChronoUnit;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.convert.DurationUnit;

/**
 * Configuration properties of the endpoint-aware propagation window: where the Kubernetes
 * API server is, how the application finds its own endpoint in the EndpointSlices, and
 * how long routers get to apply its removal.
 */
@ConfigurationProperties(EndpointWatchProperties.PREFIX)
public class EndpointWatchProperties {

	static final String PREFIX = "graceful-shutdown.window.endpoint-watch";

	/**
	 * Whether the propagation window, at the start of the drain, watches the
	 * EndpointSlices that list this pod through the Kubernetes API server and ends a tail
	 * after all of them show it neither ready nor serving. Needs get, list and watch on
	 * endpointslices.discovery.k8s.io in the pod's namespace. Applies on Kubernetes only.
	 */
	private boolean enabled;

	/**
	 * URL of the Kubernetes API server. Defaults to
	 * https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT, the address every pod is
	 * given. The service account token is only sent over https.
	 */
	private @Nullable String apiServer;

	/**
	 * File that holds the service account token sent to the API server.
	 */
	private String tokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

	/**
	 * File that holds the certificates the API server's certificate must chain to.
	 */
	private String caFile = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";

	/**
	 * File that holds the pod's namespace, whose EndpointSlices are watched.
	 */
	private String namespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

	/**
	 * Name of this pod, as the EndpointSlices' targetRef gives it. Defaults to the
	 * HOSTNAME environment variable, which is the pod's name unless the pod spec sets a
	 * hostname.
	 */
	private @Nullable String podName;

	/**
	 * IP address of this pod (status.podIP through the downward API), matched against the
	 * EndpointSlices' addresses as well as the pod name.
	 */
	private @Nullable String podIp;

	/**
	 * How long the window keeps serving after the last EndpointSlice that listed this pod
	 * shows it neither ready nor serving, for kube-proxy, gateways and meshes to apply
	 * the change.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration tail = Duration.ofSeconds(2);

	/**
	 * How long the API server may take to start answering the list of EndpointSlices and
	 * the watch (their response headers) before the window falls back to
	 * graceful-shutdown.delay.
	 */
	@DurationUnit(ChronoUnit.SECONDS)
	private Duration requestTimeout = Duration.ofSeconds(2);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getApiServer() {
		return this.apiServer;
	}

	public void setApiServer(@Nullable String apiServer) {
		this.apiServer = apiServer;
	}

	public String getTokenFile() {
		return this.tokenFile;
	}

	public void setTokenFile(String tokenFile) {
		this.tokenFile = tokenFile;
	}

	public String getCaFile() {
		return this.caFile;
	}

	public void setCaFile(String caFile) {
		this.caFile = caFile;
	}

	public String getNamespaceFile() {
		return this.namespaceFile;
	}

	public void setNamespaceFile(String namespaceFile) {
		this.namespaceFile = namespaceFile;
	}

	public @Nullable String getPodName() {
		return this.podName;
	}

	public void setPodName(@Nullable String podName) {
		this.podName = podName;
	}

	public @Nullable String getPodIp() {
		return this.podIp;
	}

	public void setPodIp(@Nullable String podIp) {
		this.podIp = podIp;
	}

	public Duration getTail() {
		return this.tail;
	}

	public void setTail(Duration tail) {
		this.tail = tail;
	}

	public Duration getRequestTimeout() {
		return this.requestTimeout;
	}

	public void setRequestTimeout(Duration requestTimeout) {
		this.requestTimeout = requestTimeout;
	}

}
