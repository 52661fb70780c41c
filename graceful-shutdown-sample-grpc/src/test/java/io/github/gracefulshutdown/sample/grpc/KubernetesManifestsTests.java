package io.github.gracefulshutdown.sample.grpc;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownProperties;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.grpc.GrpcDrainProperties;
import io.grpc.ManagedChannel;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.NettyChannelBuilder;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.cfg.MapperConfig;
import tools.jackson.databind.introspect.Annotated;
import tools.jackson.databind.introspect.JacksonAnnotationIntrospector;
import tools.jackson.dataformat.yaml.YAMLMapper;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.FileSystemResource;
import org.springframework.grpc.server.lifecycle.GrpcServerLifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Keeps the gRPC sample's Kubernetes manifests and the sample consistent. The manifests
 * read into Kubernetes' model with no field the model does not know; the Service routes
 * to the gRPC server; and the sample, started as the Deployment starts it, has the grace
 * period of the pod spec and answers its {@code grpc} probes: the readiness probe's
 * service goes {@code NOT_SERVING} once a drain starts, the liveness and startup probes'
 * stay {@code SERVING}.
 */
class KubernetesManifestsTests {

	private static final Path DIRECTORY = Path.of("k8s");

	private static final int DEFAULT_GRPC_PORT = 9090;

	private static final ObjectMapper mapper = YAMLMapper.builder()
		.annotationIntrospector(new UnknownFieldsFail())
		.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.build();

	private final Deployment deployment = read("deployment.yaml", Deployment.class);

	private final Service service = read("service.yaml", Service.class);

	@Test
	void whenAProbeFieldIsMisspeltThenReadingTheManifestFails() {
		String container = """
				name: app
				readinessProbe:
				  grpc:
				    port: 9090
				    servce: readiness
				""";
		assertThatException().isThrownBy(() -> mapper.readValue(container, Container.class))
			.withMessageContaining("servce");
	}

	@Test
	void applicationYmlHasTheGracePeriodAndTheGrpcPortOfTheDeployment() throws IOException {
		Binder binder = new Binder(ConfigurationPropertySources.from(new YamlPropertySourceLoader().load("application",
				new FileSystemResource("src/main/resources/application.yml"))));
		assertThat(binder.bind("graceful-shutdown.termination-grace-period", Duration.class).get())
			.as("graceful-shutdown.termination-grace-period in application.yml")
			.isEqualTo(gracePeriod(pod()));
		assertThat(binder.bind("spring.grpc.server.port", Integer.class).orElse(DEFAULT_GRPC_PORT))
			.as("spring.grpc.server.port in application.yml")
			.isEqualTo(containerPort("grpc"));
	}

	@Test
	void theServiceRoutesItsPortsToTheGrpcServerOfThePods() {
		assertThat(pod().getMetadata().getLabels()).containsAllEntriesOf(this.service.getSpec().getSelector());
		assertThat(this.service.getSpec().getPorts()).isNotEmpty().allSatisfy((port) -> {
			assertThat(containerPort(port)).as("container port of Service port %s", port.getName())
				.isEqualTo(containerPort("grpc"));
			assertThat(port.getAppProtocol()).as("appProtocol of %s", port.getName()).isEqualTo("kubernetes.io/h2c");
		});
	}

	@Test
	void whenTheSampleRunsAsTheDeploymentSaysThenItsGrpcProbesAnswerAndFollowTheDrain() {
		Container container = container();
		Map<String, GRPCAction> probes = Map.of("readiness", container.getReadinessProbe().getGrpc(), "liveness",
				container.getLivenessProbe().getGrpc(), "startup", container.getStartupProbe().getGrpc());
		DeclaredGrpcPort declared = new DeclaredGrpcPort();
		try (ConfigurableApplicationContext sample = start(container, declared)) {
			assertThat(sample.getBean(GracefulShutdownProperties.class).getTerminationGracePeriod())
				.as("graceful-shutdown.termination-grace-period as the application reads it")
				.isEqualTo(gracePeriod(pod()));
			GrpcDrainProperties names = sample.getBean(GrpcDrainProperties.class);
			assertThat(probes.get("readiness").getService()).isEqualTo(names.getReadinessServiceName());
			assertThat(probes.get("liveness").getService()).isEqualTo(names.getLivenessServiceName());
			assertThat(probes.get("startup").getService()).isEqualTo(names.getLivenessServiceName());
			probes.forEach((probe, grpc) -> assertThat(grpc.getPort()).as("port of the %s probe", probe)
				.isEqualTo(declared.port));
			ManagedChannel channel = NettyChannelBuilder
				.forAddress("127.0.0.1", sample.getBean(GrpcServerLifecycle.class).getPort())
				.usePlaintext()
				.build();
			try {
				probes.forEach((probe, grpc) -> assertThat(check(channel, grpc)).as("%s probe", probe)
					.isEqualTo(ServingStatus.SERVING));

				sample.getBean(DrainCoordinator.class).startDrain(DrainTrigger.APPLICATION);

				await().atMost(Duration.ofSeconds(10))
					.untilAsserted(() -> assertThat(check(channel, probes.get("readiness"))).as("readiness probe")
						.isEqualTo(ServingStatus.NOT_SERVING));
				assertThat(check(channel, probes.get("liveness"))).as("liveness probe")
					.isEqualTo(ServingStatus.SERVING);
				assertThat(check(channel, probes.get("startup"))).as("startup probe").isEqualTo(ServingStatus.SERVING);
			}
			finally {
				channel.shutdownNow();
			}
		}
	}

	/**
	 * Starts the sample in this JVM as the container would run it: its environment
	 * variables (and the two every pod gets) are its only ones, its {@code args} are the
	 * application's arguments, and it runs on Kubernetes; only its servers listen on free
	 * ports of 127.0.0.1.
	 */
	private static ConfigurableApplicationContext start(Container container, DeclaredGrpcPort declared) {
		assertThat(container.getCommand()).as("command of container %s", container.getName()).isNullOrEmpty();
		Map<String, Object> variables = new LinkedHashMap<>();
		variables.put("KUBERNETES_SERVICE_HOST", "127.0.0.1");
		variables.put("KUBERNETES_SERVICE_PORT", "443");
		variables.put("HOSTNAME", "graceful-shutdown-sample-grpc-6d8f7b9c5-x7k2p");
		for (EnvVar variable : container.getEnv()) {
			assertThat(variable.getValueFrom())
				.as("valueFrom of %s: only literal values can be checked", variable.getName())
				.isNull();
			variables.put(variable.getName(), variable.getValue());
		}
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources()
			.replace(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, new SystemEnvironmentPropertySource(
					StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME, variables));
		SpringApplication application = new SpringApplication(SampleGrpcApplication.class);
		application.setEnvironment(environment);
		application.setDefaultProperties(Map.of("spring.main.cloud-platform", "kubernetes"));
		application.addInitializers(declared);
		return application.run(container.getArgs().toArray(String[]::new));
	}

	private static ServingStatus check(ManagedChannel channel, GRPCAction probe) {
		return HealthGrpc.newBlockingStub(channel)
			.withDeadlineAfter(10, TimeUnit.SECONDS)
			.check(HealthCheckRequest.newBuilder().setService(probe.getService()).build())
			.getStatus();
	}

	private PodTemplateSpec pod() {
		return this.deployment.getSpec().getTemplate();
	}

	private Container container() {
		assertThat(pod().getSpec().getContainers()).as("containers").hasSize(1);
		return pod().getSpec().getContainers().get(0);
	}

	private int containerPort(String name) {
		return container().getPorts()
			.stream()
			.filter((port) -> name.equals(port.getName()))
			.map(ContainerPort::getContainerPort)
			.findFirst()
			.orElseThrow(() -> new AssertionError("No container port named " + name));
	}

	private int containerPort(ServicePort port) {
		if (port.getTargetPort() == null) {
			return port.getPort();
		}
		return (port.getTargetPort().getIntVal() != null) ? port.getTargetPort().getIntVal()
				: containerPort(port.getTargetPort().getStrVal());
	}

	private static Duration gracePeriod(PodTemplateSpec pod) {
		Long seconds = pod.getSpec().getTerminationGracePeriodSeconds();
		assertThat(seconds).as("terminationGracePeriodSeconds").isNotNull();
		return Duration.ofSeconds(seconds);
	}

	private static <T> T read(String file, Class<T> type) {
		return mapper.readValue(DIRECTORY.resolve(file).toFile(), type);
	}

	/**
	 * Notes the gRPC port the application's configuration declares, then moves both
	 * servers to free ports of 127.0.0.1.
	 */
	private static final class DeclaredGrpcPort
			implements ApplicationContextInitializer<ConfigurableApplicationContext> {

		private int port;

		@Override
		public void initialize(ConfigurableApplicationContext context) {
			Binder binder = Binder.get(context.getEnvironment());
			assertThat(binder.bind("spring.grpc.server.address", String.class).isBound())
				.as("spring.grpc.server.address: the probes name a port only")
				.isFalse();
			this.port = binder.bind("spring.grpc.server.port", Integer.class).orElse(DEFAULT_GRPC_PORT);
			Map<String, Object> local = Map.of("server.port", 0, "server.address", "127.0.0.1",
					"spring.grpc.server.address", "127.0.0.1:0");
			context.getEnvironment().getPropertySources().addFirst(new MapPropertySource("localPorts", local));
		}

	}

	/**
	 * Jackson's annotations less {@code @JsonAnySetter}, so that an unknown field fails,
	 * as with the API server's strict field validation, instead of landing in a fabric8
	 * object's {@code additionalProperties}.
	 */
	private static final class UnknownFieldsFail extends JacksonAnnotationIntrospector {

		@Override
		public Boolean hasAnySetter(MapperConfig<?> config, Annotated annotated) {
			return Boolean.FALSE;
		}

	}

}
