package io.github.gracefulshutdown.kubernetes;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
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
 * the pod, then watches them until each shows the pod neither ready nor serving, or drops
 * it (a terminating pod stays listed with {@code ready: false} since Kubernetes 1.26, and
 * {@code serving: false} once its readiness probe has failed).
 * <p>
 * The API server ends a watch after a timeout, or with a 410 Gone once the list's
 * resourceVersion is too old: the watch then lists and watches again, at most three times
 * in a row without an event in between.
 * <p>
 * Runs only when a drain starts, on the threads of the JDK's HTTP client: no thread of
 * its own, and no connection while the application serves normally. Each watch reads the
 * service account's files afresh. Every failure completes the result exceptionally with a
 * message that says what to change.
 */
public final class EndpointSliceWatch implements EndpointRemovalWatch {

	/**
	 * How many times in a row a run lists again after a watch that ended without an
	 * event; the next such end fails it. The API server ends a watch after a timeout of
	 * its own (30 to 60 minutes by default), or once its resourceVersion expired: rare
	 * within a drain, rarer twice in a row.
	 */
	private static final int MAX_RELISTS_WITHOUT_EVENT = 3;

	private static final int GONE = 410;

	private static final Pattern NAMESPACE = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

	private final ApiServer apiServer;

	private final Path namespaceFile;

	private final @Nullable String podName;

	private final @Nullable String podIp;

	private final Duration tail;

	private final JsonParser json = JsonParserFactory.getJsonParser();

	EndpointSliceWatch(ApiServer apiServer, Path namespaceFile, @Nullable String podName, @Nullable String podIp,
			Duration tail) {
		this.apiServer = apiServer;
		this.namespaceFile = namespaceFile;
		this.podName = podName;
		this.podIp = podIp;
		this.tail = tail;
	}

	@Override
	public Duration tail() {
		return this.tail;
	}

	@Override
	public CompletableFuture<Long> start() {
		CompletableFuture<Long> removal = new CompletableFuture<>();
		try {
			String namespace = namespace();
			ApiServer.Connection connection = this.apiServer.connect();
			removal.whenComplete((published, failure) -> connection.close());
			new Run(namespace, connection, removal).list();
		}
		catch (RuntimeException ex) {
			removal.completeExceptionally(ex);
		}
		return removal;
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
	 * One drain's watch of the pod's EndpointSlices: a list, then a watch from the list's
	 * resourceVersion. When the API server ends the watch without an error, or because
	 * that resourceVersion expired (410 Gone, once the server no longer holds it), the
	 * run lists again and watches from the new list, until the removal is seen or the
	 * result is done (the window cancels it at its ceiling). A server that ends more than
	 * {@link EndpointSliceWatch#MAX_RELISTS_WITHOUT_EVENT} watches in a row without an
	 * event in between fails the run rather than being asked again at once, so it cannot
	 * make it spin. The requests follow one another: the slices take in one list or event
	 * at a time.
	 */
	private final class Run {

		private final String namespace;

		private final String path;

		private final ApiServer.Connection connection;

		private final CompletableFuture<Long> removal;

		private final PodEndpointSlices slices = new PodEndpointSlices(EndpointSliceWatch.this.podName,
				EndpointSliceWatch.this.podIp);

		private final AtomicInteger relistsWithoutEvent = new AtomicInteger();

		Run(String namespace, ApiServer.Connection connection, CompletableFuture<Long> removal) {
			this.namespace = namespace;
			this.path = "/apis/discovery.k8s.io/v1/namespaces/" + namespace + "/endpointslices";
			this.connection = connection;
			this.removal = removal;
		}

		void list() {
			CompletableFuture<HttpResponse<String>> list = this.connection.client()
				.sendAsync(this.connection.get(this.path), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			this.removal.whenComplete((published, failure) -> list.cancel(true));
			list.whenComplete((response, failure) -> {
				try {
					if (failure != null) {
						throw unanswered("list EndpointSlices", failure);
					}
					watchFrom(response);
				}
				catch (RuntimeException ex) {
					this.removal.completeExceptionally(ex);
				}
			});
		}

		private void watchFrom(HttpResponse<String> response) {
			requireOk(response.statusCode(), "list", this.namespace);
			Map<String, Object> list = parse(response.body());
			Object items = list.get("items");
			this.slices.replaceWith((items != null) ? PodEndpointSlices.list(items, "items") : List.of());
			if (!this.slices.listsPod()) {
				throw new EndpointWatchException(
						"No EndpointSlice of namespace " + this.namespace + " lists " + this.slices.describePod()
								+ ": no Service selects the pod, or " + EndpointWatchProperties.PREFIX
								+ ".pod-name (default: the HOSTNAME variable) or .pod-ip does not name it.");
			}
			if (this.slices.podRemoved()) {
				this.removal.complete(System.nanoTime());
				return;
			}
			Object metadata = list.get("metadata");
			Object resourceVersion = (metadata != null)
					? PodEndpointSlices.map(metadata, "metadata").get("resourceVersion") : null;
			if (!(resourceVersion instanceof String version) || version.isEmpty()) {
				throw new EndpointWatchException(
						"The API server sent a list of EndpointSlices without a resourceVersion.");
			}
			new Watch().start(version);
		}

		/**
		 * Lists again after a watch that ended without a failure, unless the result is
		 * done or too many watches in a row ended without an event.
		 */
		private void resume() {
			if (this.removal.isDone()) {
				return;
			}
			int watchesEnded = this.relistsWithoutEvent.incrementAndGet();
			if (watchesEnded > MAX_RELISTS_WITHOUT_EVENT) {
				this.removal.completeExceptionally(new EndpointWatchException("The API server ended " + watchesEnded
						+ " watches of EndpointSlices in a row without an event, before " + this.slices.describePod()
						+ " was removed."));
				return;
			}
			list();
		}

		/**
		 * One watch request, and the events it streams, one JSON object a line, as the
		 * HTTP client delivers them. Ends once: when the pod's removal is seen, when it
		 * fails, or when the API server ends it or answers 410 Gone, which resumes the
		 * run.
		 */
		private final class Watch implements Flow.Subscriber<String> {

			private final AtomicBoolean ended = new AtomicBoolean();

			private volatile Flow.@Nullable Subscription subscription;

			void start(String resourceVersion) {
				ApiServer.Connection connection = Run.this.connection;
				CompletableFuture<HttpResponse<Void>> response = connection.client()
					.sendAsync(connection.get(Run.this.path + "?watch=true&resourceVersion=" + resourceVersion),
							(info) -> {
								if (info.statusCode() == GONE) {
									return HttpResponse.BodySubscribers.replacing(null);
								}
								try {
									requireOk(info.statusCode(), "watch", Run.this.namespace);
									return HttpResponse.BodySubscribers.fromLineSubscriber(this);
								}
								catch (EndpointWatchException ex) {
									Run.this.removal.completeExceptionally(ex);
									return HttpResponse.BodySubscribers.replacing(null);
								}
							});
				Run.this.removal.whenComplete((published, failure) -> response.cancel(true));
				response.whenComplete((body, failure) -> {
					if (!this.ended.compareAndSet(false, true)) {
						return;
					}
					try {
						if (failure != null) {
							throw unanswered("watch EndpointSlices", failure);
						}
						resume();
					}
					catch (RuntimeException ex) {
						Run.this.removal.completeExceptionally(ex);
					}
				});
			}

			@Override
			public void onSubscribe(Flow.Subscription subscription) {
				this.subscription = subscription;
				Run.this.removal.whenComplete((published, failure) -> subscription.cancel());
				subscription.request(Long.MAX_VALUE);
			}

			@Override
			public void onNext(String line) {
				if (line.isBlank() || this.ended.get() || Run.this.removal.isDone()) {
					return;
				}
				try {
					Map<String, Object> event = parse(line);
					Object type = event.get("type");
					Object object = event.get("object");
					if ("ERROR".equals(type)) {
						expired(object);
						return;
					}
					Run.this.relistsWithoutEvent.set(0);
					if ("ADDED".equals(type) || "MODIFIED".equals(type)) {
						Run.this.slices.update(PodEndpointSlices.map(object, "object"));
					}
					else if ("DELETED".equals(type)) {
						Run.this.slices.delete(PodEndpointSlices.map(object, "object"));
					}
					else if (!"BOOKMARK".equals(type)) {
						throw new EndpointWatchException(
								"The API server sent a watch event of unknown type: " + abbreviate(line) + ".");
					}
					if (Run.this.slices.podRemoved()) {
						Run.this.removal.complete(System.nanoTime());
					}
				}
				catch (RuntimeException ex) {
					Run.this.removal.completeExceptionally(ex);
				}
			}

			/**
			 * Ends this watch and resumes the run when the error event says that the
			 * resourceVersion expired; fails the run for any other error.
			 */
			private void expired(@Nullable Object status) {
				Map<?, ?> fields = (status instanceof Map<?, ?> map) ? map : Map.of();
				if (!(fields.get("code") instanceof Number code) || code.intValue() != GONE) {
					throw new EndpointWatchException("The watch of EndpointSlices ended with an error: "
							+ ((status instanceof Map<?, ?>) ? fields.get("message") : status) + ".");
				}
				if (this.ended.compareAndSet(false, true)) {
					Flow.Subscription subscription = this.subscription;
					if (subscription != null) {
						subscription.cancel();
					}
					resume();
				}
			}

			/**
			 * Does nothing: the response completes exceptionally too, and fails the run.
			 */
			@Override
			public void onError(Throwable failure) {
			}

			/**
			 * Does nothing: the response completes too, and resumes the run.
			 */
			@Override
			public void onComplete() {
			}

		}

	}

}
