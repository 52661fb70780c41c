package io.github.gracefulshutdown.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import io.github.gracefulshutdown.drain.EndpointWatchException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The Kubernetes API server as a pod reaches it: its URL, the service account's token and
 * the certificates the server's must chain to. Nothing is read or connected until
 * {@link #connect()}, at the start of a drain, so a rotated token is read fresh. The
 * token is only sent over https.
 */
final class ApiServer {

	private static final Log logger = LogFactory.getLog(ApiServer.class);

	/**
	 * {@code HttpClient.shutdownNow()}, which Java 21 brought, or {@code null} on Java
	 * 17, whose clients cannot be closed.
	 */
	private static final @Nullable MethodHandle SHUTDOWN_NOW = shutdownNow();

	private final URI url;

	private final String base;

	private final Path tokenFile;

	private final Path caFile;

	private final Duration requestTimeout;

	/**
	 * Describes an API server.
	 * @param url its URL, http or https, with the path of a proxy in front of it if any
	 * @param tokenFile the file that holds the token, read for https only
	 * @param caFile the file that holds the certificates in PEM, read for https only
	 * @param requestTimeout how long the server may take to answer a request's headers
	 */
	ApiServer(URI url, Path tokenFile, Path caFile, Duration requestTimeout) {
		this.url = url;
		this.base = url.toString().replaceAll("/+$", "");
		this.tokenFile = tokenFile;
		this.caFile = caFile;
		this.requestTimeout = requestTimeout;
	}

	/**
	 * Reads the token and the certificates, and builds a client for them.
	 * @return a connection to the API server
	 * @throws EndpointWatchException if the token or certificates cannot be read
	 */
	Connection connect() {
		HttpClient.Builder client = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(this.requestTimeout);
		if (!"https".equals(this.url.getScheme())) {
			return new Connection(client.build(), null);
		}
		client.sslContext(trusting(this.caFile));
		return new Connection(client.build(), token(this.tokenFile));
	}

	/**
	 * Returns where the API server is.
	 * @return its URL
	 */
	URI url() {
		return this.url;
	}

	/**
	 * Returns how long the API server may take to answer.
	 * @return the request timeout
	 */
	Duration requestTimeout() {
		return this.requestTimeout;
	}

	private static @Nullable MethodHandle shutdownNow() {
		try {
			return MethodHandles.publicLookup()
				.findVirtual(HttpClient.class, "shutdownNow", MethodType.methodType(void.class));
		}
		catch (NoSuchMethodException | IllegalAccessException ex) {
			return null;
		}
	}

	private static String token(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8).trim();
		}
		catch (IOException ex) {
			throw new EndpointWatchException("The service account token cannot be read from " + file + " (" + ex
					+ "): mount it (automountServiceAccountToken) or set " + EndpointWatchProperties.PREFIX
					+ ".token-file.", ex);
		}
	}

	private static SSLContext trusting(Path caFile) {
		try (InputStream pem = Files.newInputStream(caFile)) {
			KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
			trusted.load(null, null);
			int index = 0;
			for (Certificate certificate : CertificateFactory.getInstance("X.509").generateCertificates(pem)) {
				trusted.setCertificateEntry("ca-" + index++, certificate);
			}
			TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
			trust.init(trusted);
			SSLContext context = SSLContext.getInstance("TLS");
			context.init(null, trust.getTrustManagers(), null);
			return context;
		}
		catch (IOException | GeneralSecurityException ex) {
			throw new EndpointWatchException("The API server's certificates cannot be read from " + caFile + " (" + ex
					+ "): mount the service account (automountServiceAccountToken) or set "
					+ EndpointWatchProperties.PREFIX + ".ca-file.", ex);
		}
	}

	/**
	 * A client for the API server, with the token to send.
	 */
	final class Connection {

		private final HttpClient client;

		private final @Nullable String token;

		private Connection(HttpClient client, @Nullable String token) {
			this.client = client;
			this.token = token;
		}

		/**
		 * Returns the client.
		 * @return the HTTP client
		 */
		HttpClient client() {
			return this.client;
		}

		/**
		 * Ends the client and its threads at once, where Java can (Java 21 and later).
		 * Its selector thread waits in native code, and the JVM waits up to 300 ms for
		 * such threads when it exits; on Java 17 the thread ends only once the client is
		 * unreachable and collected.
		 */
		void close() {
			if (SHUTDOWN_NOW != null) {
				try {
					SHUTDOWN_NOW.invoke(this.client);
				}
				catch (Throwable ex) {
					logger.debug("The client of the API server could not be shut down", ex);
				}
			}
		}

		/**
		 * Builds a GET request whose response headers must arrive within the request
		 * timeout.
		 * @param pathAndQuery the path of the resource, with its query
		 * @return the request
		 */
		HttpRequest get(String pathAndQuery) {
			HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ApiServer.this.base + pathAndQuery))
				.timeout(ApiServer.this.requestTimeout)
				.header("Accept", "application/json")
				.GET();
			if (this.token != null) {
				request.header("Authorization", "Bearer " + this.token);
			}
			return request.build();
		}

	}

}
