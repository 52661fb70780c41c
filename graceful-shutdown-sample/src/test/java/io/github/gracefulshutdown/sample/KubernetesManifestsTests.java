package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPBackendRef;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRouteRule;
import io.fabric8.kubernetes.api.model.networking.v1.HTTPIngressPath;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressServiceBackend;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import io.github.gracefulshutdown.drain.EndpointRemovalWatch;
import io.github.gracefulshutdown.sample.KubernetesManifests.Installation;
import io.github.gracefulshutdown.sample.KubernetesManifests.Manifest;
import io.github.gracefulshutdown.sample.SampleContainer.Server;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.io.FileSystemResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Keeps the sample's Kubernetes manifests and the sample consistent. Every manifest reads
 * into the model of its kind, with no field the model does not know; the references
 * between manifests hold; and the sample, started as each Deployment starts it, has the
 * grace period of the pod spec, answers its probes and its preStop hook where the
 * manifest sends them, and registers the meters that KEDA's queries read.
 */
class KubernetesManifestsTests {

	/**
	 * Kubernetes' default {@code terminationGracePeriodSeconds}.
	 */
	private static final long DEFAULT_GRACE_PERIOD_SECONDS = 30;

	/**
	 * KEDA's default {@code cooldownPeriod}.
	 */
	private static final int DEFAULT_COOLDOWN_PERIOD_SECONDS = 300;

	private static final Pattern STARTER_SERIES = Pattern.compile("graceful_shutdown_[a-z0-9_]+");

	private static final Pattern LABEL_EQUALS = Pattern.compile("(\\w+)\\s*=\\s*\"([^\"]*)\"");

	private static final KubernetesManifests manifests = readManifests();

	@Test
	void whenAKubernetesFieldIsMisspeltThenReadingTheManifestFails() {
		String deployment = """
				apiVersion: apps/v1
				kind: Deployment
				metadata:
				  name: misspelt
				spec:
				  template:
				    spec:
				      terminationGracePeriodSecond: 30
				""";
		assertThatException().isThrownBy(() -> KubernetesManifests.read(deployment, Deployment.class))
			.withMessageContaining("terminationGracePeriodSecond");
	}

	@Test
	void whenAKedaFieldIsMisspeltThenReadingTheManifestFails() {
		String scaledObject = """
				apiVersion: keda.sh/v1alpha1
				kind: ScaledObject
				metadata:
				  name: misspelt
				spec:
				  scaleTargetRef:
				    name: graceful-shutdown-sample-v1
				  initialCoolDownPeriod: 300
				""";
		assertThatException().isThrownBy(() -> KubernetesManifests.read(scaledObject, ScaledObject.class))
			.withMessageContaining("initialCoolDownPeriod");
	}

	@Test
	void whenAManifestHasAKindWithoutAModelThenReadingItFails(@TempDir Path directory) throws IOException {
		Files.writeString(directory.resolve("cronjob.yaml"), """
				apiVersion: batch/v1
				kind: CronJob
				metadata:
				  name: unknown
				""");
		assertThatIllegalStateException().isThrownBy(() -> KubernetesManifests.read(directory))
			.withMessageContaining("no model for batch/v1 CronJob");
	}

	@Test
	void everyKindOfTheSampleIsRead() {
		assertThat(manifests.all()).<Class<?>>extracting((manifest) -> manifest.object().getClass())
			.contains(Deployment.class, Service.class, ServiceAccount.class, Role.class, RoleBinding.class,
					Ingress.class, HTTPRoute.class, ScaledObject.class, PodMonitor.class);
	}

	@Test
	void applicationYmlHasTheGracePeriodOfTheDeployment() throws IOException {
		Binder binder = new Binder(ConfigurationPropertySources.from(new YamlPropertySourceLoader().load("application",
				new FileSystemResource("src/main/resources/application.yml"))));
		Duration applicationYml = binder.bind("graceful-shutdown.termination-grace-period", Duration.class).get();
		Deployment deployment = manifests.all(Deployment.class)
			.stream()
			.filter((manifest) -> manifest.file().equals(KubernetesManifests.DIRECTORY.resolve("deployment.yaml")))
			.findFirst()
			.orElseThrow()
			.object();
		assertThat(applicationYml).as("graceful-shutdown.termination-grace-period in application.yml")
			.isEqualTo(gracePeriod(deployment.getSpec().getTemplate()));
	}

	static Stream<Arguments> deployments() {
		return manifests.installations()
			.stream()
			.flatMap((installation) -> installation.of(Deployment.class)
				.stream()
				.map((deployment) -> Arguments.of(installation, deployment)));
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("deployments")
	void whenTheSampleRunsAsTheDeploymentSaysThenItMatchesTheManifests(Installation installation,
			Manifest<Deployment> deployment) throws Exception {
		PodTemplateSpec pod = deployment.object().getSpec().getTemplate();
		assertThat(pod.getSpec().getContainers()).as("containers of %s", deployment).hasSize(1);
		Container container = pod.getSpec().getContainers().get(0);
		try (SampleContainer sample = SampleContainer.start(container)) {
			assertThat(sample.bean(GracefulShutdownProperties.class).getTerminationGracePeriod())
				.as("graceful-shutdown.termination-grace-period as the application reads it in %s", deployment)
				.isEqualTo(gracePeriod(pod));
			assertProbesAnswer(container, sample);
			assertServicesRouteToTheMainServer(installation, pod, sample);
			assertScaledObjectsReadScrapedStarterMeters(installation, deployment, sample);
			assertEndpointWatchIsAllowed(installation, pod, sample);
			// Last: the hook starts the drain
			assertPreStopHookDrains(container, sample);
		}
	}

	private void assertProbesAnswer(Container container, SampleContainer sample) throws Exception {
		Map<String, Probe> probes = probes(container);
		assertThat(probes).as("probes of container %s", container.getName()).containsKeys("readiness", "liveness");
		for (Map.Entry<String, Probe> probe : probes.entrySet()) {
			HTTPGetAction httpGet = probe.getValue().getHttpGet();
			String description = probe.getKey() + " probe";
			assertThat(httpGet).as(description).isNotNull();
			assertThat(httpGet.getPath()).as(description)
				.isEqualTo("/actuator/health/" + (probe.getKey().equals("readiness") ? "readiness" : "liveness"));
			assertThat(sample.get(httpGet.getPort(), httpGet.getPath(), httpGet.getHttpHeaders()).statusCode())
				.as(description)
				.isEqualTo(200);
		}
	}

	private void assertServicesRouteToTheMainServer(Installation installation, PodTemplateSpec pod,
			SampleContainer sample) {
		for (Manifest<Service> service : installation.of(Service.class)) {
			Map<String, String> selector = service.object().getSpec().getSelector();
			if (!selector.isEmpty() && pod.getMetadata().getLabels().entrySet().containsAll(selector.entrySet())) {
				for (ServicePort port : service.object().getSpec().getPorts()) {
					IntOrString target = Objects.requireNonNullElse(port.getTargetPort(),
							new IntOrString(port.getPort()));
					assertThat(sample.serverOf(target))
						.as("server that %s routes port %s to: never the management server", service, port.getName())
						.isEqualTo(Server.MAIN);
				}
			}
		}
	}

	private void assertScaledObjectsReadScrapedStarterMeters(Installation installation, Manifest<Deployment> deployment,
			SampleContainer sample) throws Exception {
		List<ScaledObject> scaledObjects = scaledObjectsOf(installation, deployment);
		List<PodMonitor> podMonitors = installation.of(PodMonitor.class)
			.stream()
			.map(Manifest::object)
			.filter((podMonitor) -> selects(podMonitor.spec().selector(), deployment))
			.toList();
		if (!scaledObjects.isEmpty()) {
			assertThat(podMonitors).as("PodMonitors that scrape %s for its ScaledObject", deployment).isNotEmpty();
		}
		Set<String> starterSeries = PrometheusSeries.ofStarterMeters(sample.bean(MeterRegistry.class));
		for (PodMonitor podMonitor : podMonitors) {
			for (PodMonitor.Endpoint endpoint : podMonitor.spec().podMetricsEndpoints()) {
				HttpResponse<String> scrape = sample.get(new IntOrString(endpoint.port()), endpoint.path(), List.of());
				assertThat(scrape.statusCode())
					.as("scrape of %s by %s", endpoint.path(), podMonitor.metadata().getName())
					.isEqualTo(200);
				for (String series : seriesReadBy(scaledObjects)) {
					assertThat(starterSeries).as("series of the starter's meters").contains(series);
					assertThat(scrape.body()).as("scrape of %s", endpoint.path())
						.containsPattern("(?m)^" + series + "[{ ]");
				}
			}
		}
	}

	private void assertEndpointWatchIsAllowed(Installation installation, PodTemplateSpec pod, SampleContainer sample) {
		if (!sample.hasBean(EndpointRemovalWatch.class)) {
			return;
		}
		String serviceAccount = pod.getSpec().getServiceAccountName();
		assertThat(serviceAccount).as("serviceAccountName of a pod that watches its EndpointSlices").isNotNull();
		assertThat(installation.of(ServiceAccount.class)).as("ServiceAccount %s in %s", serviceAccount, installation)
			.anyMatch((account) -> account.name().equals(serviceAccount));
		assertThat(pod.getSpec().getAutomountServiceAccountToken()).as("automountServiceAccountToken")
			.isNotEqualTo(false);
		List<Role> roles = installation.of(RoleBinding.class)
			.stream()
			.map(Manifest::object)
			.filter((binding) -> binding.getSubjects()
				.stream()
				.anyMatch((subject) -> "ServiceAccount".equals(subject.getKind())
						&& serviceAccount.equals(subject.getName())))
			.map((binding) -> {
				assertThat(binding.getRoleRef().getKind()).as("roleRef of %s", binding.getMetadata().getName())
					.isEqualTo("Role");
				return installation.of(Role.class)
					.stream()
					.filter((role) -> role.name().equals(binding.getRoleRef().getName()))
					.findFirst()
					.orElseThrow(() -> new AssertionError("No Role " + binding.getRoleRef().getName()))
					.object();
			})
			.toList();
		List<PolicyRule> rules = roles.stream().flatMap((role) -> role.getRules().stream()).toList();
		assertThat(rules).as("rules bound to service account %s", serviceAccount).anySatisfy((rule) -> {
			assertThat(rule.getApiGroups()).contains("discovery.k8s.io");
			assertThat(rule.getResources()).contains("endpointslices");
			assertThat(rule.getVerbs()).contains("get", "list", "watch");
		}).allSatisfy((rule) -> {
			assertThat(rule.getResources()).as("resources: least privilege").containsOnly("endpointslices");
			assertThat(rule.getVerbs()).as("verbs: read only").isSubsetOf("get", "list", "watch");
		});
	}

	private void assertPreStopHookDrains(Container container, SampleContainer sample) throws Exception {
		Lifecycle lifecycle = container.getLifecycle();
		if (lifecycle == null || lifecycle.getPreStop() == null) {
			return;
		}
		HTTPGetAction hook = lifecycle.getPreStop().getHttpGet();
		assertThat(hook).as("preStop of container %s: the starter's window replaces a sleep", container.getName())
			.isNotNull();
		assertThat(sample.serverOf(hook.getPort())).as("server of the preStop hook").isEqualTo(Server.MANAGEMENT);
		HttpResponse<String> response = sample.get(hook.getPort(), hook.getPath(), hook.getHttpHeaders());
		assertThat(response.statusCode()).as("preStop hook's answer: %s", response.body()).isEqualTo(200);
		assertThat(response.body()).contains("\"windowEnded\":true");
		HTTPGetAction readiness = container.getReadinessProbe().getHttpGet();
		assertThat(sample.get(readiness.getPort(), readiness.getPath(), List.of()).statusCode())
			.as("readiness after the preStop hook")
			.isEqualTo(503);
		HTTPGetAction liveness = container.getLivenessProbe().getHttpGet();
		assertThat(sample.get(liveness.getPort(), liveness.getPath(), List.of()).statusCode())
			.as("liveness after the preStop hook")
			.isEqualTo(200);
	}

	@Test
	void everyIngressAndHttpRouteRoutesToAPortOfAService() {
		for (Installation installation : manifests.installations()) {
			for (Manifest<Ingress> ingress : installation.of(Ingress.class)) {
				for (HTTPIngressPath path : ingress.object()
					.getSpec()
					.getRules()
					.stream()
					.flatMap((rule) -> rule.getHttp().getPaths().stream())
					.toList()) {
					IngressServiceBackend backend = path.getBackend().getService();
					String portName = backend.getPort().getName();
					ServicePort port = servicePort(installation, backend.getName(),
							(candidate) -> (portName != null) ? portName.equals(candidate.getName())
									: candidate.getPort().equals(backend.getPort().getNumber()));
					assertThat(port).as("Service port of %s in %s", ingress, installation).isNotNull();
				}
			}
			for (Manifest<HTTPRoute> route : installation.of(HTTPRoute.class)) {
				for (HTTPRouteRule rule : route.object().getSpec().getRules()) {
					for (HTTPBackendRef backend : rule.getBackendRefs()) {
						assertThat(backend.getKind()).as("backend kind in %s", route).isIn(null, "Service");
						ServicePort port = servicePort(installation, backend.getName(),
								(candidate) -> Objects.equals(candidate.getPort(), backend.getPort()));
						assertThat(port).as("Service port of %s in %s", route, installation).isNotNull();
					}
				}
			}
		}
	}

	@Test
	void everyScaledObjectQuerySelectsItsTargetsPodsByLabelsThatItsPodMonitorCopies() {
		for (Installation installation : manifests.installations()) {
			for (Manifest<ScaledObject> scaledObject : installation.of(ScaledObject.class)) {
				Manifest<Deployment> target = installation.of(Deployment.class)
					.stream()
					.filter((deployment) -> deployment.name()
						.equals(scaledObject.object().spec().scaleTargetRef().name()))
					.findFirst()
					.orElseThrow(() -> new AssertionError("No Deployment scaled by " + scaledObject));
				Map<String, String> podLabels = target.object().getSpec().getTemplate().getMetadata().getLabels();
				List<PodMonitor> podMonitors = installation.of(PodMonitor.class)
					.stream()
					.map(Manifest::object)
					.filter((podMonitor) -> selects(podMonitor.spec().selector(), target))
					.toList();
				assertThat(podMonitors).as("PodMonitors of %s", target).isNotEmpty();
				for (ScaledObject.Trigger trigger : scaledObject.object().spec().triggers()) {
					Map<String, String> labels = labelsSelectedBy(trigger.metadata().get("query"));
					labels.remove("namespace");
					assertThat(podLabels).as("pod labels of %s selected by %s", target, scaledObject)
						.containsAllEntriesOf(labels);
					for (PodMonitor podMonitor : podMonitors) {
						assertThat(podMonitor.spec().podTargetLabels())
							.as("labels %s copies onto the series", podMonitor.metadata().getName())
							.containsAll(labels.keySet());
					}
				}
			}
		}
	}

	@Test
	void everyScaledObjectKeepsAnIdleVersionForItsCooldownPeriodAfterItsCreation() {
		for (Manifest<ScaledObject> scaledObject : manifests.all(ScaledObject.class)) {
			ScaledObject.Spec spec = scaledObject.object().spec();
			int cooldownPeriod = Objects.requireNonNullElse(spec.cooldownPeriod(), DEFAULT_COOLDOWN_PERIOD_SECONDS);
			assertThat(spec.initialCooldownPeriod())
				.as("initialCooldownPeriod of %s: without it KEDA scales a version that is idle when the "
						+ "ScaledObject is created to zero at once, cooldownPeriod counting only after work",
						scaledObject)
				.isNotNull()
				.isGreaterThanOrEqualTo(cooldownPeriod);
		}
	}

	private static Map<String, Probe> probes(Container container) {
		Map<String, Probe> probes = new LinkedHashMap<>();
		if (container.getReadinessProbe() != null) {
			probes.put("readiness", container.getReadinessProbe());
		}
		if (container.getLivenessProbe() != null) {
			probes.put("liveness", container.getLivenessProbe());
		}
		if (container.getStartupProbe() != null) {
			probes.put("startup", container.getStartupProbe());
		}
		return probes;
	}

	private static Duration gracePeriod(PodTemplateSpec pod) {
		return Duration.ofSeconds(Objects.requireNonNullElse(pod.getSpec().getTerminationGracePeriodSeconds(),
				DEFAULT_GRACE_PERIOD_SECONDS));
	}

	private static List<ScaledObject> scaledObjectsOf(Installation installation, Manifest<Deployment> deployment) {
		return installation.of(ScaledObject.class)
			.stream()
			.map(Manifest::object)
			.filter((scaledObject) -> deployment.name().equals(scaledObject.spec().scaleTargetRef().name()))
			.toList();
	}

	private static Set<String> seriesReadBy(List<ScaledObject> scaledObjects) {
		Set<String> series = new TreeSet<>();
		for (ScaledObject scaledObject : scaledObjects) {
			for (ScaledObject.Trigger trigger : scaledObject.spec().triggers()) {
				assertThat(trigger.type()).as("trigger of %s", scaledObject.metadata().getName())
					.isEqualTo("prometheus");
				String query = trigger.metadata().get("query");
				assertThat(query).as("query of %s", scaledObject.metadata().getName()).isNotNull();
				Matcher matcher = STARTER_SERIES.matcher(query);
				while (matcher.find()) {
					series.add(matcher.group());
				}
			}
			assertThat(series).as("series of the starter that %s reads", scaledObject.metadata().getName())
				.isNotEmpty();
		}
		return series;
	}

	private static Map<String, String> labelsSelectedBy(String query) {
		Map<String, String> labels = new LinkedHashMap<>();
		Matcher matcher = LABEL_EQUALS.matcher(query);
		while (matcher.find()) {
			if (!matcher.group(1).equals("__name__")) {
				labels.put(matcher.group(1), matcher.group(2));
			}
		}
		return labels;
	}

	private static boolean selects(LabelSelector selector, Manifest<Deployment> deployment) {
		assertThat(selector.getMatchExpressions()).as("matchExpressions (not supported here)").isNullOrEmpty();
		Map<String, String> labels = deployment.object().getSpec().getTemplate().getMetadata().getLabels();
		return labels.entrySet().containsAll(selector.getMatchLabels().entrySet());
	}

	private static ServicePort servicePort(Installation installation, String serviceName, Predicate<ServicePort> port) {
		return installation.of(Service.class)
			.stream()
			.filter((service) -> service.name().equals(serviceName))
			.flatMap((service) -> service.object().getSpec().getPorts().stream())
			.filter(port)
			.findFirst()
			.orElse(null);
	}

	private static KubernetesManifests readManifests() {
		try {
			return KubernetesManifests.read(KubernetesManifests.DIRECTORY);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
