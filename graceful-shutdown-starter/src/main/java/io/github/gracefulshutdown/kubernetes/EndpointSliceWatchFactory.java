package io.github.gracefulshutdown.kubernetes;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;

import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.drain.Durations;
import org.jspecify.annotations.Nullable;

import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;

/**
 * Builds the {@link EndpointSliceWatch} the properties describe, with the in-cluster
 * defaults a pod's environment gives, and checks at startup what can be checked without
 * calling the API server.
 */
final class EndpointSliceWatchFactory {

	static final String API_SERVER_PROPERTY = EndpointWatchProperties.PREFIX + ".api-server";

	static final String POD_NAME_PROPERTY = EndpointWatchProperties.PREFIX + ".pod-name";

	static final String TAIL_PROPERTY = EndpointWatchProperties.PREFIX + ".tail";

	static final String REQUEST_TIMEOUT_PROPERTY = EndpointWatchProperties.PREFIX + ".request-timeout";

	private EndpointSliceWatchFactory() {
	}

	/**
	 * Builds the watch.
	 * @param properties the watch's properties
	 * @param environment the environment, for the variables every pod is given
	 * @param classLoader the application's class loader, for the JSON library
	 * @return the watch
	 * @throws InvalidDrainConfigurationException if the properties cannot work
	 */
	static EndpointSliceWatch create(EndpointWatchProperties properties, Environment environment,
			@Nullable ClassLoader classLoader) {
		requireJsonLibrary(classLoader);
		Duration tail = InvalidDrainConfigurationException.requireNotNegative(TAIL_PROPERTY, properties.getTail());
		Duration requestTimeout = properties.getRequestTimeout();
		if (requestTimeout.isNegative() || requestTimeout.isZero()) {
			throw new InvalidDrainConfigurationException(
					REQUEST_TIMEOUT_PROPERTY + " is " + Durations.format(requestTimeout) + ", but it must be positive.",
					"Set " + REQUEST_TIMEOUT_PROPERTY + " to a positive duration, such as 2s.");
		}
		String podName = StringUtils.hasText(properties.getPodName()) ? properties.getPodName()
				: environment.getProperty("HOSTNAME");
		String podIp = StringUtils.hasText(properties.getPodIp()) ? properties.getPodIp() : null;
		if (!StringUtils.hasText(podName) && podIp == null) {
			throw new InvalidDrainConfigurationException(
					POD_NAME_PROPERTY + " is not set and neither is the HOSTNAME variable: the window cannot tell "
							+ "which endpoint is this pod's.",
					"Set " + POD_NAME_PROPERTY + " to the pod's name (fieldRef metadata.name through the downward "
							+ "API), or " + EndpointWatchProperties.PREFIX + ".pod-ip to its IP (status.podIP).");
		}
		ApiServer apiServer = new ApiServer(apiServerUrl(properties.getApiServer(), environment),
				Path.of(properties.getTokenFile()), Path.of(properties.getCaFile()), requestTimeout);
		return new EndpointSliceWatch(apiServer, Path.of(properties.getNamespaceFile()),
				StringUtils.hasText(podName) ? podName : null, podIp, tail);
	}

	/**
	 * Spring Boot's JSON parser is Jackson 3's or Gson's when either is there, and a
	 * basic one otherwise, which cannot read the field names of the API server's
	 * {@code managedFields} (such as {@code "f:endpoints"}): without either, every watch
	 * would fail and the window would always fall back to its floor.
	 */
	private static void requireJsonLibrary(@Nullable ClassLoader classLoader) {
		if (!ClassUtils.isPresent("tools.jackson.databind.ObjectMapper", classLoader)
				&& !ClassUtils.isPresent("com.google.gson.Gson", classLoader)) {
			throw new InvalidDrainConfigurationException(EndpointWatchProperties.PREFIX
					+ ".enabled is true, but neither Jackson 3 (tools.jackson.databind) nor Gson is on the classpath "
					+ "to read the API server's EndpointSlices.",
					"Add Jackson 3 (spring-boot-starter-jackson) or Gson, or turn " + EndpointWatchProperties.PREFIX
							+ ".enabled off.");
		}
	}

	private static URI apiServerUrl(@Nullable String configured, Environment environment) {
		if (StringUtils.hasText(configured)) {
			try {
				URI url = new URI(configured);
				if (("https".equals(url.getScheme()) || "http".equals(url.getScheme())) && url.getHost() != null
						&& url.getQuery() == null) {
					return url;
				}
			}
			catch (URISyntaxException ex) {
				// Reported below
			}
			throw new InvalidDrainConfigurationException(
					API_SERVER_PROPERTY + " is '" + configured + "', which is not an http or https URL.",
					"Set " + API_SERVER_PROPERTY + " to the API server's URL, such as https://kubernetes.default.svc, "
							+ "or remove it to use the in-cluster address.");
		}
		String host = environment.getProperty("KUBERNETES_SERVICE_HOST");
		String port = environment.getProperty("KUBERNETES_SERVICE_PORT");
		if (!StringUtils.hasText(host) || !StringUtils.hasText(port)) {
			throw new InvalidDrainConfigurationException(
					API_SERVER_PROPERTY + " is not set and the KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT "
							+ "variables, which Kubernetes gives every pod, are missing.",
					"Set " + API_SERVER_PROPERTY + " to the API server's URL, or turn " + EndpointWatchProperties.PREFIX
							+ ".enabled off outside a pod.");
		}
		return URI.create("https://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port);
	}

}
