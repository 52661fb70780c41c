package io.github.gracefulshutdown.e2e.cluster;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Iterator;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link EndpointSliceApiServer}, over real HTTP with the JDK's client.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class EndpointSliceApiServerTests {

	private static final Pattern RESOURCE_VERSION = Pattern.compile("\"resourceVersion\":\"(\\d+)\"");

	private static final String POD1_READY = "{\"addresses\":[\"10.244.0.1\"],\"conditions\":{\"ready\":true,"
			+ "\"serving\":true,\"terminating\":false},\"targetRef\":{\"kind\":\"Pod\",\"namespace\":\"e2e\","
			+ "\"name\":\"pod1-v1\"}}";

	private static final String POD1_TERMINATING = "{\"addresses\":[\"10.244.0.1\"],\"conditions\":{\"ready\":false,"
			+ "\"serving\":false,\"terminating\":true},\"targetRef\":{\"kind\":\"Pod\",\"namespace\":\"e2e\","
			+ "\"name\":\"pod1-v1\"}}";

	private static final String POD2_READY = "{\"addresses\":[\"10.244.0.2\"],\"conditions\":{\"ready\":true,"
			+ "\"serving\":true,\"terminating\":false},\"targetRef\":{\"kind\":\"Pod\",\"namespace\":\"e2e\","
			+ "\"name\":\"pod2-v1\"}}";

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private EndpointSliceApiServer apiServer;

	@BeforeEach
	void start() throws Exception {
		this.apiServer = EndpointSliceApiServer.start();
		this.apiServer.add("pod1", "pod1-v1", 41001);
		this.apiServer.add("pod2", "pod2-v1", 41002);
	}

	@AfterEach
	void stop() {
		this.apiServer.close();
	}

	@Test
	void listsTheSliceWithEveryPodReadyAndTheVersionToWatchFrom() throws Exception {
		HttpResponse<String> list = get(EndpointSliceApiServer.SLICES_PATH);

		assertThat(list.statusCode()).isEqualTo(200);
		assertThat(list.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(list.body()).startsWith("{\"kind\":\"EndpointSliceList\",\"apiVersion\":\"discovery.k8s.io/v1\"")
			.contains("\"items\":[{\"kind\":\"EndpointSlice\"", "\"name\":\"" + EndpointSliceApiServer.SLICE + "\"",
					POD1_READY + "," + POD2_READY);
		assertThat(resourceVersion(list.body())).isEqualTo(1002);
	}

	@Test
	void aWatchStreamsTheRemovedPodAsTerminatingOneEventALine() throws Exception {
		int version = resourceVersion(get(EndpointSliceApiServer.SLICES_PATH).body());
		try (Stream<String> watch = watch(version)) {
			Iterator<String> events = watch.iterator();

			this.apiServer.remove("pod1");

			String event = events.next();
			assertThat(event).startsWith("{\"type\":\"MODIFIED\",\"object\":{\"kind\":\"EndpointSlice\"")
				.contains(POD1_TERMINATING + "," + POD2_READY)
				.doesNotContain("\n");
			assertThat(resourceVersion(event)).isEqualTo(version + 1);
		}
	}

	@Test
	void aWatchFromAnEarlierVersionGetsTheChangesSinceFirst() throws Exception {
		int version = resourceVersion(get(EndpointSliceApiServer.SLICES_PATH).body());
		this.apiServer.remove("pod1");
		this.apiServer.add("pod1", "pod1-v2", 41003);

		try (Stream<String> watch = watch(version)) {
			Iterator<String> events = watch.iterator();

			assertThat(events.next()).contains(POD1_TERMINATING);
			assertThat(events.next()).contains("\"name\":\"pod1-v2\"").doesNotContain("pod1-v1");
		}
	}

	@Test
	void aPodThatIsAlreadyTerminatingIsNotPublishedAgain() throws Exception {
		this.apiServer.remove("pod1");
		this.apiServer.remove("pod1");

		assertThat(resourceVersion(get(EndpointSliceApiServer.SLICES_PATH).body())).isEqualTo(1003);
	}

	@Test
	void otherResourcesAreNotFound() throws Exception {
		HttpResponse<String> pods = get("/api/v1/namespaces/e2e/pods");

		assertThat(pods.statusCode()).isEqualTo(404);
		assertThat(pods.body()).contains("\"kind\":\"Status\"", "\"code\":404");
	}

	@Test
	void theNamespaceFileHoldsTheNamespace(@TempDir Path directory) throws Exception {
		assertThat(EndpointSliceApiServer.writeNamespaceFile(directory)).hasContent("e2e");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.client.send(request(path), HttpResponse.BodyHandlers.ofString());
	}

	private Stream<String> watch(int version) throws Exception {
		HttpResponse<Stream<String>> watch = this.client.send(
				request(EndpointSliceApiServer.SLICES_PATH + "?watch=true&resourceVersion=" + version),
				HttpResponse.BodyHandlers.ofLines());
		assertThat(watch.statusCode()).isEqualTo(200);
		return watch.body();
	}

	private HttpRequest request(String path) {
		return HttpRequest.newBuilder(URI.create(this.apiServer.url() + path)).GET().build();
	}

	private static int resourceVersion(String json) {
		Matcher matcher = RESOURCE_VERSION.matcher(json);
		assertThat(matcher.find()).as("resourceVersion in %s", json).isTrue();
		return Integer.parseInt(matcher.group(1));
	}

}
