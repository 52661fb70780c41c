package io.github.gracefulshutdown.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.dataformat.yaml.YAMLMapper;

/**
 * The sample's Kubernetes manifests (every {@code .yaml} file under {@code k8s/}), each
 * document read into the model of its kind: fabric8's Kubernetes model for Kubernetes'
 * own kinds (RBAC included) and the Gateway API, {@link ScaledObject} and
 * {@link PodMonitor} for KEDA and the Prometheus Operator, which fabric8 has no model
 * for.
 * <p>
 * Reading is strict, as the API server's strict field validation is: a field that the
 * model does not know fails. fabric8's classes keep unknown fields in an
 * {@code additionalProperties} map (their {@code @JsonAnySetter}) instead, so the mapper
 * ignores that annotation.
 * <p>
 * The manifests of one directory are installed together. A directory without a Service of
 * its own holds variants of its parent's objects: it is installed with its parent's
 * objects, its own replacing those of the same kind and name.
 */
final class KubernetesManifests {

	static final Path DIRECTORY = Path.of("k8s");

	private static final Map<String, Class<?>> MODELS = Map.of("apps/v1 Deployment", Deployment.class, "v1 Service",
			Service.class, "v1 ServiceAccount", ServiceAccount.class, "rbac.authorization.k8s.io/v1 Role", Role.class,
			"rbac.authorization.k8s.io/v1 RoleBinding", RoleBinding.class, "networking.k8s.io/v1 Ingress",
			Ingress.class, "gateway.networking.k8s.io/v1 HTTPRoute", HTTPRoute.class, "keda.sh/v1alpha1 ScaledObject",
			ScaledObject.class, "monitoring.coreos.com/v1 PodMonitor", PodMonitor.class);

	private static final ObjectMapper mapper = YAMLMapper.builder()
		.annotationIntrospector(new UnknownFieldsFail())
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final Map<Path, List<Manifest<?>>> byDirectory;

	private KubernetesManifests(Map<Path, List<Manifest<?>>> byDirectory) {
		this.byDirectory = byDirectory;
	}

	/**
	 * Reads every manifest under the given directory.
	 * @param directory the directory
	 * @return the manifests
	 * @throws IOException if a file cannot be read
	 * @throws IllegalStateException if a document has a kind without a model, or a field
	 * its model does not know
	 */
	static KubernetesManifests read(Path directory) throws IOException {
		Map<Path, List<Manifest<?>>> byDirectory = new LinkedHashMap<>();
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.filter((path) -> path.toString().endsWith(".yaml")).sorted().toList()) {
				List<Manifest<?>> manifests = byDirectory.computeIfAbsent(file.getParent(), (key) -> new ArrayList<>());
				for (JsonNode document : mapper.readerFor(JsonNode.class).<JsonNode>readValues(file).readAll()) {
					manifests.add(new Manifest<>(file, read(file, document)));
				}
			}
		}
		return new KubernetesManifests(byDirectory);
	}

	/**
	 * Reads one document as the given model, as strictly as the manifests are read.
	 * @param <T> the model
	 * @param yaml the document
	 * @param type the model
	 * @return the object
	 */
	static <T> T read(String yaml, Class<T> type) {
		return mapper.readValue(yaml, type);
	}

	private static Object read(Path file, JsonNode document) {
		String kind = document.path("apiVersion").asString() + " " + document.path("kind").asString();
		Class<?> model = MODELS.get(kind);
		if (model == null) {
			throw new IllegalStateException("%s: no model for %s; add one to %s".formatted(file, kind,
					KubernetesManifests.class.getSimpleName()));
		}
		try {
			return mapper.treeToValue(document, model);
		}
		catch (RuntimeException ex) {
			throw new IllegalStateException(file + ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Returns every manifest of every directory.
	 * @return the manifests
	 */
	List<Manifest<?>> all() {
		return this.byDirectory.values().stream().flatMap(List::stream).toList();
	}

	/**
	 * Returns every manifest of the given kind, in every directory.
	 * @param <T> the model of the kind
	 * @param type the model of the kind
	 * @return the manifests
	 */
	<T> List<Manifest<T>> all(Class<T> type) {
		return ofType(all(), type);
	}

	/**
	 * Returns what each directory installs, parents first.
	 * @return the installations
	 */
	List<Installation> installations() {
		return this.byDirectory.keySet()
			.stream()
			.sorted(Comparator.comparing(Path::getNameCount).thenComparing(Comparator.naturalOrder()))
			.map((directory) -> new Installation(directory, installed(directory)))
			.toList();
	}

	private List<Manifest<?>> installed(Path directory) {
		List<Manifest<?>> own = this.byDirectory.get(directory);
		boolean variant = own.stream().noneMatch((manifest) -> manifest.object() instanceof Service);
		if (!variant || !this.byDirectory.containsKey(directory.getParent())) {
			return own;
		}
		List<Manifest<?>> installed = new ArrayList<>(own);
		installed(directory.getParent()).stream()
			.filter((inherited) -> own.stream().noneMatch((manifest) -> manifest.replaces(inherited)))
			.forEach(installed::add);
		return installed;
	}

	@SuppressWarnings("unchecked")
	private static <T> List<Manifest<T>> ofType(List<Manifest<?>> manifests, Class<T> type) {
		return manifests.stream()
			.filter((manifest) -> type.isInstance(manifest.object()))
			.map((manifest) -> (Manifest<T>) manifest)
			.toList();
	}

	/**
	 * One document of a manifest file.
	 *
	 * @param <T> the model of its kind
	 * @param file the file
	 * @param object the document, read into its model
	 */
	record Manifest<T>(Path file, T object) {

		String name() {
			return metadata().getName();
		}

		ObjectMeta metadata() {
			if (this.object instanceof HasMetadata resource) {
				return resource.getMetadata();
			}
			if (this.object instanceof ScaledObject scaledObject) {
				return scaledObject.metadata();
			}
			if (this.object instanceof PodMonitor podMonitor) {
				return podMonitor.metadata();
			}
			throw new IllegalStateException("No metadata in " + this.object.getClass());
		}

		boolean replaces(Manifest<?> other) {
			return this.object.getClass() == other.object.getClass() && Objects.equals(name(), other.name());
		}

		@Override
		public String toString() {
			return this.file + " (" + this.object.getClass().getSimpleName() + " " + name() + ")";
		}

	}

	/**
	 * The objects that one directory installs.
	 *
	 * @param directory the directory
	 * @param manifests its objects
	 */
	record Installation(Path directory, List<Manifest<?>> manifests) {

		<T> List<Manifest<T>> of(Class<T> type) {
			return ofType(this.manifests, type);
		}

		@Override
		public String toString() {
			return this.directory.toString();
		}

	}

	/**
	 * Jackson's annotations less {@code @JsonAnySetter}, so that an unknown field fails
	 * instead of landing in a fabric8 object's {@code additionalProperties}.
	 */
	private static final class UnknownFieldsFail extends JacksonAnnotationIntrospector {

		@Override
		public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
			return Boolean.FALSE;
		}

	}

}
