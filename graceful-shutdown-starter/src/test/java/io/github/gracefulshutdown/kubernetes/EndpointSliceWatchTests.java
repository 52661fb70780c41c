package io.github.gracefulshutdown.kubernetes;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import io.github.gracefulshutdown.drain.EndpointWatchException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Tests for {@link EndpointSliceWatch}, with the JDK's HTTP client over real HTTP to a
 * {@link FakeApiServer}.
 */
class EndpointSliceWatchTests {

	/**
	 * Time for the API server's answers to reach a test JVM that is still cold, on a busy
	 * machine: none of these tests waits for it to pass but one.
	 */
	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

	/**
	 * The request timeout of the test that waits for it to pass.
	 */
	private static final Duration SHORT_REQUEST_TIMEOUT = Duration.ofMillis(500);

	/**
	 * Time for the first TLS handshake of the test JVM, which sets up its providers.
	 */
	private static final Duration TLS_REQUEST_TIMEOUT = Duration.ofSeconds(8);

	@TempDir
	Path directory;

	private FakeApiServer apiServer;

	private Path namespaceFile;

	@BeforeEach
	void startApiServer() throws IOException {
		this.apiServer = new FakeApiServer();
		this.namespaceFile = Files.writeString(this.directory.resolve("namespace"), FakeApiServer.NAMESPACE + "\n");
	}

	@AfterEach
	void stopApiServer() {
		this.apiServer.close();
	}

	@Test
	void whenTheOnlySliceShowsThePodNotReadyThenTheRemovalIsPublished() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true", "other-pod:true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);
		assertThat(removal).isNotDone();

		long before = System.nanoTime();
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false", "other-pod:true");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(before);
	}

	/**
	 * kube-proxy falls back to the serving endpoints of terminating pods when a Service
	 * has no ready endpoint left: not ready is not removed until the pod stops serving,
	 * once the kubelet sees its readiness probe fail.
	 */
	@Test
	void whileThePodIsNotReadyButStillServingTheRemovalIsNotPublished() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":serving");
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !removal.isDone());
		long before = System.nanoTime();
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isGreaterThanOrEqualTo(before);
	}

	@Test
	void onceTheRemovalIsSeenTheClientsThreadsEndWhereJavaCanEndThem() throws Exception {
		assumeTrue(Runtime.version().feature() >= 21, "Java 17 cannot shut an HttpClient down");
		long selectorsBefore = httpClientSelectorThreads();
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);
		assertThat(httpClientSelectorThreads()).isGreaterThan(selectorsBefore);

		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false");
		removal.get(10, TimeUnit.SECONDS);

		await().atMost(Duration.ofSeconds(10)).until(() -> httpClientSelectorThreads() == selectorsBefore);
	}

	private static long httpClientSelectorThreads() {
		return Thread.getAllStackTraces()
			.keySet()
			.stream()
			.filter((thread) -> thread.isAlive() && thread.getName().endsWith("-SelectorManager"))
			.count();
	}

	@Test
	void whenSeveralServicesSelectThePodThenTheRemovalWaitsForEveryOneOfTheirSlices() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		this.apiServer.slice("shop-admin-def34", FakeApiServer.POD + ":true");
		this.apiServer.slice("unrelated-xyz", "other-pod:true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false");
		await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).until(() -> !removal.isDone());
		this.apiServer.publish("MODIFIED", "shop-admin-def34", "other-pod:true");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
	}

	@Test
	void whenASliceThatListedThePodIsDeletedThenItNoLongerRoutesToIt() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		this.apiServer.publish("DELETED", "shop-abc12", FakeApiServer.POD + ":true");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
	}

	@Test
	void whenOnlyThePodIpIsKnownThenTheEndpointIsFoundByItsAddress() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD_IP + "=" + FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(null, FakeApiServer.POD_IP).start();
		awaitWatch(removal);

		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD_IP + "=" + FakeApiServer.POD + ":false");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
	}

	@Test
	void whenThePodIsAlreadyNotReadyThenTheRemovalIsPublishedWithoutAWatch() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":false");

		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
		assertThat(this.apiServer.openWatches()).isZero();
	}

	@Test
	void whenTheApiServerForbidsTheListThenTheFailureGivesTheRoleToAdd() {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		this.apiServer.answerListWith(403);

		assertThat(failure(watch(FakeApiServer.POD, null).start())).contains("HTTP 403")
			.contains("kind: Role")
			.contains("namespace: " + FakeApiServer.NAMESPACE)
			.contains("resources: [\"endpointslices\"]")
			.contains("verbs: [\"get\", \"list\", \"watch\"]");
	}

	@Test
	void whenTheApiServerRefusesConnectionsThenTheWatchFailsAtOnce() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0)) {
			closedPort = socket.getLocalPort();
		}
		EndpointSliceWatch watch = watch(URI.create("http://127.0.0.1:" + closedPort), FakeApiServer.POD, null);

		assertThat(failure(watch.start())).contains("cannot be reached").contains("ConnectException");
	}

	@Test
	void whenTheWatchHangsThenItFailsAfterTheRequestTimeout() {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		this.apiServer.hangWatches();

		EndpointSliceWatch watch = watch(this.apiServer.url(), FakeApiServer.POD, null, SHORT_REQUEST_TIMEOUT);

		assertThat(failure(watch.start())).contains("did not answer the watch")
			.contains("within 500ms")
			.contains("request-timeout");
	}

	@Test
	void whenAWatchEventIsMalformedThenTheWatchFails() {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		this.apiServer.send("{\"type\":\"MODIFIED\",\"object\":{\"metadata\":");

		assertThat(failure(removal)).contains("malformed JSON");
	}

	@Test
	void whenTheWatchEndsWithAnErrorOtherThanGoneThenTheWatchFails() {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		this.apiServer.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"code\":500,"
				+ "\"message\":\"etcdserver: request timed out\"}}");

		assertThat(failure(removal)).contains("ended with an error: etcdserver: request timed out");
		assertThat(this.apiServer.lists()).isOne();
	}

	@Test
	void whenTheApiServerEndsTheWatchThenTheRemovalIsWatchedFromANewList() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		this.apiServer.endWatches();
		awaitWatches(2);
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
		assertThat(this.apiServer.lists()).isEqualTo(2);
	}

	@Test
	void whenTheWatchsResourceVersionExpiredThenTheRemovalIsFoundInANewList() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":false");
		this.apiServer.send("{\"type\":\"ERROR\",\"object\":{\"kind\":\"Status\",\"apiVersion\":\"v1\","
				+ "\"status\":\"Failure\",\"message\":\"too old resource version: 101 (205)\","
				+ "\"reason\":\"Expired\",\"code\":410}}");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
		assertThat(this.apiServer.lists()).isEqualTo(2);
	}

	@Test
	void whenTheApiServerAnswersTheWatchWithGoneThenTheRemovalIsWatchedFromANewList() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		this.apiServer.answerNextWatchWith(410);
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();

		awaitWatches(2);
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
		assertThat(this.apiServer.lists()).isEqualTo(2);
	}

	@Test
	void whenTheSliceThatListedThePodIsGoneFromTheNewListThenThePodIsRemoved() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		this.apiServer.slice("unrelated-xyz", "other-pod:true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		this.apiServer.removeSlice("shop-abc12");
		this.apiServer.endWatches();

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
		assertThat(this.apiServer.lists()).isEqualTo(2);
	}

	@Test
	void whenWatchesEndAfterAnEventThenTheWatchGoesOnListingAgain() throws Exception {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		for (int watches = 1; watches <= 6; watches++) {
			awaitWatches(watches);
			this.apiServer.send("{\"type\":\"BOOKMARK\",\"object\":{\"kind\":\"EndpointSlice\","
					+ "\"metadata\":{\"resourceVersion\":\"" + (200 + watches) + "\"}}}");
			this.apiServer.endWatches();
		}
		awaitWatches(7);
		this.apiServer.publish("MODIFIED", "shop-abc12", FakeApiServer.POD + ":false");

		assertThat(removal.get(10, TimeUnit.SECONDS)).isPositive();
	}

	@Test
	void whenTheApiServerEndsEveryWatchAtOnceThenTheWatchFailsAfterThreeNewLists() {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		this.apiServer.endWatchesAtOnce();

		assertThat(failure(watch(FakeApiServer.POD, null).start()))
			.contains("ended 4 watches of EndpointSlices in a row without an event")
			.contains("pod " + FakeApiServer.POD);
		assertThat(this.apiServer.lists()).isEqualTo(4);
		assertThat(this.apiServer.watchRequests()).isEqualTo(4);
	}

	@Test
	void whenNoSliceListsThePodThenTheWatchFailsNamingTheProperties() {
		this.apiServer.slice("shop-abc12", "other-pod:true");

		assertThat(failure(watch(FakeApiServer.POD, FakeApiServer.POD_IP).start()))
			.contains("No EndpointSlice of namespace shop lists pod " + FakeApiServer.POD)
			.contains("graceful-shutdown.window.endpoint-watch.pod-name");
	}

	@Test
	void whenTheNamespaceFileIsMissingThenTheWatchFailsNamingItsProperty() throws IOException {
		Files.delete(this.namespaceFile);

		assertThat(failure(watch(FakeApiServer.POD, null).start())).contains(this.namespaceFile.toString())
			.contains("graceful-shutdown.window.endpoint-watch.namespace-file");
	}

	@Test
	void whenTheApiServerIsReachedOverPlainHttpThenTheTokenIsNotSent() throws Exception {
		Files.writeString(this.directory.resolve("token"), "secret-token");
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":false");

		watch(FakeApiServer.POD, null).start().get(10, TimeUnit.SECONDS);

		assertThat(this.apiServer.authorizations()).isEmpty();
	}

	@Test
	void whenTheApiServerIsReachedOverHttpsThenItsCertificateIsCheckedAndTheTokenSent() throws Exception {
		SelfSignedCertificate certificate = SelfSignedCertificate.create(this.directory, "api-server");
		Files.copy(certificate.pem(), this.directory.resolve("ca.crt"));
		Files.writeString(this.directory.resolve("token"), "secret-token\n");
		try (FakeApiServer https = new FakeApiServer(certificate.serverContext())) {
			https.slice("shop-abc12", FakeApiServer.POD + ":false");

			watch(https.url(), FakeApiServer.POD, null, TLS_REQUEST_TIMEOUT).start().get(10, TimeUnit.SECONDS);

			assertThat(https.authorizations()).containsExactly("Bearer secret-token");
		}
	}

	@Test
	void whenTheApiServersCertificateDoesNotChainToTheCaFileThenTheWatchFails() throws Exception {
		SelfSignedCertificate certificate = SelfSignedCertificate.create(this.directory, "api-server");
		SelfSignedCertificate otherCluster = SelfSignedCertificate.create(this.directory, "other-cluster");
		Files.copy(otherCluster.pem(), this.directory.resolve("ca.crt"));
		Files.writeString(this.directory.resolve("token"), "secret-token");
		try (FakeApiServer https = new FakeApiServer(certificate.serverContext())) {
			https.slice("shop-abc12", FakeApiServer.POD + ":false");

			assertThat(failure(watch(https.url(), FakeApiServer.POD, null, TLS_REQUEST_TIMEOUT).start()))
				.contains("failed to list")
				.contains("SSLHandshakeException");
			assertThat(https.authorizations()).isEmpty();
		}
	}

	@Test
	void whenTheCaFileIsMissingThenTheWatchFailsNamingItsProperty() throws Exception {
		Files.writeString(this.directory.resolve("token"), "secret-token");

		assertThat(failure(watch(URI.create("https://127.0.0.1:6443"), FakeApiServer.POD, null).start()))
			.contains("graceful-shutdown.window.endpoint-watch.ca-file");
	}

	@Test
	void whenTheWatchIsCancelledThenItsConnectionIsClosed() {
		this.apiServer.slice("shop-abc12", FakeApiServer.POD + ":true");
		CompletableFuture<Long> removal = watch(FakeApiServer.POD, null).start();
		awaitWatch(removal);

		removal.cancel(true);
		this.apiServer.send("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\"}}}");

		await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
			this.apiServer.send("{\"type\":\"BOOKMARK\",\"object\":{\"metadata\":{\"resourceVersion\":\"1\"}}}");
			assertThat(this.apiServer.openWatches()).isZero();
		});
	}

	private void awaitWatch(CompletableFuture<Long> removal) {
		await().atMost(Duration.ofSeconds(10)).until(() -> this.apiServer.openWatches() > 0 || removal.isDone());
	}

	/**
	 * Waits until the server has received the given number of watch requests, and the
	 * last one is open.
	 */
	private void awaitWatches(int requests) {
		await().atMost(Duration.ofSeconds(10))
			.until(() -> this.apiServer.watchRequests() == requests && this.apiServer.openWatches() == 1);
	}

	private EndpointSliceWatch watch(String podName, String podIp) {
		return watch(this.apiServer.url(), podName, podIp);
	}

	private EndpointSliceWatch watch(URI url, String podName, String podIp) {
		return watch(url, podName, podIp, REQUEST_TIMEOUT);
	}

	private EndpointSliceWatch watch(URI url, String podName, String podIp, Duration requestTimeout) {
		ApiServer server = new ApiServer(url, this.directory.resolve("token"), this.directory.resolve("ca.crt"),
				requestTimeout);
		return new EndpointSliceWatch(server, this.namespaceFile, podName, podIp, Duration.ofMillis(100));
	}

	private static String failure(CompletableFuture<Long> removal) {
		await().atMost(Duration.ofSeconds(10)).until(removal::isDone);
		assertThat(removal).isCompletedExceptionally();
		Throwable failure = removal.handle((published, ex) -> ex).join();
		assertThat(failure).isInstanceOf(EndpointWatchException.class);
		return failure.getMessage();
	}

}
