package io.github.gracefulshutdown.kubernetes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.regex.Pattern;

import io.github.gracefulshutdown.drain.Durations;
import io.github.gracefulshutdown.drain.EndpointRemovalWatch;
import io.github.gracefulshutdown.drain.EndpointWatchException;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.json.JsonParser;
import org.springframework.boot.json.JsonParserFactory;

/**
 * Learns from the Kubernetes API server when this pod's endpoint has left its Services'
 * EndpointSlices: lists the EndpointSlices of the pod's namespace, keeps those that list
 * the pod, then watches them until each shows the pod not ready or drops it (a
 * terminating pod stays listed with {@code ready: false} since Kubernetes 1.26).
 * <p>
 * Runs only when a drain starts, on the threads of the JDK's HTTP client: no thread of
 * its own, and no connection while the application serves normally. Each watch reads the
 * service account's files afresh. Every failure completes the result exceptionally with a
 * message that says what to change.
 */
public final class EndpointSliceWatch implements EndpointRemovalWatch {

	private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

	private final ApiServer apiServer;

	private final Path namespaceFile;

	private final @Nullable String podName;

	private final @Nullable String podIp;

	private final Duration tail;

	private final Duration quietPeriod;

	private final JsonParser json = JsonParserFactory.getJsonParser();

	EndpointSliceWatch(ApiServer apiServer, Path namespaceFile, @Nullable String podName, @Nullable String podIp,
			Duration tail, Duration quietPeriod) {
		this.apiServer = apiServer;
		this.namespaceFile = namespaceFile;
		this.podName = podName;
		this.podIp = podIp;
		this.tail = tail;
		this.quietPeriod = quietPeriod;
	}

	@Override
	public Duration tail() {
		return this.tail;
	}

	@Override
	public Duration quietPeriod() {
		return this.quietPeriod;
	}

	@Override
	public CompletableFuture<Long> start() {
		CompletableFuture<Long> removal = new CompletableFuture<>();
		try {
			String namespace = namespace();
			ApiServer.Connection connection = this.apiServer.connect();
			String path = "/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices";
			CompletableFuture<HttpResponse<String>> list = connection.client()
				.sendAsync(connection.get(path), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			removal.whenComplete((published, failure) -> list.cancel(true));
			list.whenComplete((response, failure) -> {
				try {
					if (failure != null) {
						throw unanswered("list EndpointSlices", failure);
					}
					watch(connection, namespace, path, response, removal);
				}
				catch (EndpointWatchException ex) {
					removal.completeExceptionally(ex);
				}
			});
		}
		catch (EndpointWatchException ex) {
			removal.completeExceptionally(ex);
		}
		return removal;
	}

	private void watch(ApiServer.Connection connection, String namespace, String path, HttpResponse<String> response,
			CompletableFuture<Long> removal) {
		requireOk(response.statusCode(), "list", namespace);
		Map<String, Object> list = parse(response.body());
		PodEndpointSlices slices = new PodEndpointSlices(this.podName, this.podIp);
		Object items = list.get("items");
		if (items != null) {
			for (Object item : PodEndpointSlices.list(items, "items")) {
				slices.update(PodEndpointSlices.map(item, "item"));
			}
		}
		if (!slices.listsPod()) {
			throw new EndpointWatchException("No EndpointSlice of namespace " + namespace + " lists "
					+ slices.describePod() + ": no Service selects the pod, or " + EndpointWatchProperties.PREFIX
					+ ".pod-name (default: the HOSTNAME variable) or .pod-ip does not name it.");
		}
		if (slices.podRemoved()) {
			removal.complete(System.nanoTime());
			return;
		}
		Object metadata = list.get("metadata");
		Object resourceVersion = (metadata != null) ? PodEndpointSlices.map(metadata, "metadata").get("resourceVersion")
				: null;
		if (!(resourceVersion instanceof String version) || version.isEmpty()) {
			throw new EndpointWatchException("The API server sent a list of EndpointSlices without a resourceVersion.");
		}
		WatchEvents events = new WatchEvents(slices, removal);
		CompletableFuture<HttpResponse<Void>> watch = connection.client()
			.sendAsync(connection.get(path + "?watch=true&resourceVersion=" + version), (info) -> {
				try {
					requireOk(info.statusCode(), "watch", namespace);
					return HttpResponse.BodySubscribers.fromLineSubscriber(events);
				}
				catch (EndpointWatchException ex) {
					removal.completeExceptionally(ex);
					return HttpResponse.BodySubscribers.replacing(null);
				}
			});
		removal.whenComplete((published, failure) -> watch.cancel(true));
		watch.whenComplete((ended, failure) -> removal
			.completeExceptionally((failure != null) ? unanswered("watch EndpointSlices", failure)
					: new EndpointWatchException("The API server ended the watch of EndpointSlices before "
							+ slices.describePod() + " was removed.")));
	}

	private String namespace() {
		String namespace;
		try {
			namespace = Files.readString(this.namespaceFile, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new EndpointWatchException("The pod's namespace cannot be read from " + this.namespaceFile + " (" + ex
					+ "): mount the service account (automountServiceAccountToken) or set "
					+ EndpointWatchProperties.PREFIX + ".namespace-file.", ex);
		}
		if (!NAMESPACE.matcher(namespace).matches()) {
			throw new EndpointWatchException(this.namespaceFile + " does not hold a namespace: '" + namespace + "'.");
		}
		return namespace;
	}

	private void requireOk(int status, String verb, String namespace) {
		if (status == 403) {
			throw new EndpointWatchException("The API server at " + this.apiServer.url() + " forbids this pod's "
					+ "service account to " + verb + " EndpointSlices in namespace " + namespace
					+ " (HTTP 403). Bind it to this Role (and see docs/kubernetes.md):\n" + role(namespace));
		}
		if (status == 401) {
			throw new EndpointWatchException("The API server at " + this.apiServer.url() + " did not accept the "
					+ "service account token (HTTP 401): check " + EndpointWatchProperties.PREFIX + ".token-file.");
		}
		if (status != 200) {
			throw new EndpointWatchException("The API server at " + this.apiServer.url() + " answered HTTP " + status
					+ " to the " + verb + " of EndpointSlices in namespace " + namespace + ".");
		}
	}

	private static String role(String namespace) {
		return """
				apiVersion: rbac.authorization.k8s.io/v1
				kind: Role
				metadata:
				  name: graceful-shutdown-endpoint-watch
				  namespace: %s
				rules:
				  - apiGroups: ["discovery.k8s.io"]
				    resources: ["endpointslices"]
				    verbs: ["get", "list", "watch"]
				""".formatted(namespace);
	}

	private EndpointWatchException unanswered(String what, Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof EndpointWatchException watchFailure) {
			return watchFailure;
		}
		if (cause instanceof HttpTimeoutException) {
			return new EndpointWatchException("The API server at " + this.apiServer.url() + " did not answer the "
					+ what + " within " + Durations.format(this.apiServer.requestTimeout()) + " ("
					+ EndpointWatchProperties.PREFIX + ".request-timeout).", cause);
		}
		String reason = (cause instanceof ConnectException) ? "cannot be reached" : "failed";
		return new EndpointWatchException(
				"The API server at " + this.apiServer.url() + " " + reason + " to " + what + ": " + cause + ".", cause);
	}

	private Map<String, Object> parse(String text) {
		try {
			return this.json.parseMap(text);
		}
		catch (IllegalArgumentException ex) {
			throw new EndpointWatchException("The API server sent malformed JSON: " + abbreviate(text) + ".", ex);
		}
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	/**
	 * Takes in the events of the watch, one JSON object a line, as the HTTP client
	 * delivers them; completes the removal once no slice routes to the pod any more.
	 */
	private final class WatchEvents implements Flow.Subscriber<String> {

		private final PodEndpointSlices slices;

		private final CompletableFuture<Long> removal;

		WatchEvents(PodEndpointSlices slices, CompletableFuture<Long> removal) {
			this.slices = slices;
			this.removal = removal;
		}

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.removal.whenComplete((published, failure) -> subscription.cancel());
			subscription.request(Long.MAX_VALUE);
		}

		@Override
		public void onNext(String line) {
			if (line.isBlank() || this.removal.isDone()) {
				return;
			}
			try {
				Map<String, Object> event = parse(line);
				Object type = event.get("type");
				Object object = event.get("object");
				if ("ERROR".equals(type)) {
					Object message = (object instanceof Map<?, ?> status) ? status.get("message") : object;
					throw new EndpointWatchException(
							"The watch of EndpointSlices ended with an error: " + message + ".");
				}
				if ("ADDED".equals(type) || "MODIFIED".equals(type)) {
					this.slices.update(PodEndpointSlices.map(object, "object"));
				}
				else if ("DELETED".equals(type)) {
					this.slices.delete(PodEndpointSlices.map(object, "object"));
				}
				else if (!"BOOKMARK".equals(type)) {
					throw new EndpointWatchException(
							"The API server sent a watch event of unknown type: " + abbreviate(line) + ".");
				}
				if (this.slices.podRemoved()) {
					this.removal.complete(System.nanoTime());
				}
			}
			catch (EndpointWatchException ex) {
				this.removal.completeExceptionally(ex);
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.removal.completeExceptionally(unanswered("watch EndpointSlices", failure));
		}

		@Override
		public void onComplete() {
		}

	}

}
