package io.github.gracefulshutdown.e2e.scenario;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import io.github.gracefulshutdown.e2e.cluster.EndpointPropagation;
import io.github.gracefulshutdown.e2e.cluster.EndpointSliceApiServer;
import io.github.gracefulshutdown.e2e.cluster.Endpoints;
import io.github.gracefulshutdown.e2e.cluster.Kubelet;
import io.github.gracefulshutdown.e2e.cluster.PodStarter;
import io.github.gracefulshutdown.e2e.cluster.RollingRestart;
import io.github.gracefulshutdown.e2e.cluster.Timeline;
import io.github.gracefulshutdown.e2e.grpc.GrpcLoadGenerator;
import io.github.gracefulshutdown.e2e.grpc.PodAddresses;
import io.github.gracefulshutdown.e2e.haproxy.Haproxy;
import io.github.gracefulshutdown.e2e.haproxy.HaproxyEndpoints;
import io.github.gracefulshutdown.e2e.load.ClientSideBalancer;
import io.github.gracefulshutdown.e2e.load.LoadGenerator;
import io.github.gracefulshutdown.e2e.load.RequestRecord;
import io.github.gracefulshutdown.e2e.load.Route;
import io.github.gracefulshutdown.e2e.load.SteadyLoad;
import io.github.gracefulshutdown.e2e.process.ChildProcesses;
import io.github.gracefulshutdown.e2e.process.SampleInstance;
import io.github.gracefulshutdown.e2e.process.SampleLauncher;
import org.jspecify.annotations.Nullable;

/**
 * Runs one scenario: starts two pods (and HAProxy in front of them, or a client-side
 * balancer, HTTP or gRPC, and an API server with their EndpointSlice when they watch it),
 * puts steady load on them, restarts both pods one after the other, lets the load run on
 * for a moment, and returns what every request and every pod did. Every process it starts
 * is gone when it returns, whether the scenario succeeded or not.
 */
public final class ScenarioRunner {

	private static final List<String> PODS = List.of("pod1", "pod2");

	/**
	 * A bound, not a wait: a gateway pod takes well over a minute to start on a 2-core
	 * machine busy with other builds.
	 */
	private static final Duration READY_TIMEOUT = Duration.ofMinutes(3);

	private static final String WARM_UP_PATH = "/work?millis=0";

	private static final int WARM_UP_REQUESTS = 200;

	private static final Duration WARM_UP_LIMIT = Duration.ofSeconds(20);

	private static final Duration REQUEST_TIMEOUT_ALLOWANCE = Duration.ofSeconds(5);

	private static final Duration LOAD_LIMIT = Duration.ofMinutes(5);

	/**
	 * How long after T0 the API server's EndpointSlices show the pod not ready: the
	 * control plane's part of the propagation lag, usually within a second or two,
	 * independent of how long the routers then take.
	 */
	public static final Duration CONTROL_PLANE_DELAY = Duration.ofSeconds(1);

	private static final String GRPC_ADDRESS = "--spring.grpc.server.address=127.0.0.1:0";

	private static final String ENDPOINT_WATCH = "--graceful-shutdown.window.endpoint-watch.";

	private final HarnessSettings settings;

	/**
	 * Creates a runner.
	 * @param settings what every scenario shares
	 */
	public ScenarioRunner(HarnessSettings settings) {
		this.settings = settings;
	}

	/**
	 * Runs the scenario.
	 * @param scenario the scenario
	 * @return what happened
	 * @throws IOException if a process cannot be started
	 * @throws InterruptedException if interrupted
	 * @throws IllegalArgumentException if the scenario sends gRPC calls through HAProxy
	 */
	public ScenarioResult run(Scenario scenario) throws IOException, InterruptedException {
		if (scenario.stack().servesGrpc() && scenario.routing() != Routing.CLIENT_SIDE) {
			throw new IllegalArgumentException(
					"gRPC pods are called with client-side balancing only, not through " + scenario.routing().label());
		}
		Path logs = emptyDirectory(this.settings.outputDirectory().resolve("logs").resolve(scenario.id()));
		Timeline timeline = new Timeline();
		List<SampleInstance> started = new CopyOnWriteArrayList<>();
		try (ChildProcesses children = new ChildProcesses();
				EndpointSliceApiServer apiServer = scenario.variant().watchesEndpointSlices()
						? EndpointSliceApiServer.start() : null) {
			SampleLauncher launcher = new SampleLauncher(this.settings.sampleJar(scenario.stack()), logs, children,
					arguments(scenario, apiServer, logs));
			Haproxy haproxy = null;
			Duration requestTimeout = scenario.work().plus(REQUEST_TIMEOUT_ALLOWANCE);
			try {
				Map<String, SampleInstance> pods = startPods(scenario.stack(), launcher, started);
				Endpoints routers;
				SteadyLoad load;
				if (scenario.stack().servesGrpc()) {
					PodAddresses addresses = new PodAddresses();
					pods.forEach((pod, instance) -> addresses.add(pod, instance.name(), instance.servingPort()));
					routers = addresses;
					load = new GrpcLoadGenerator(addresses, this.settings.requestsPerSecond(), scenario.work(),
							requestTimeout);
				}
				else if (scenario.routing().throughHaproxy()) {
					Map<String, Integer> servers = new LinkedHashMap<>();
					pods.forEach((pod, instance) -> servers.put(pod, instance.servingPort()));
					haproxy = Haproxy.start(this.settings.haproxyBinary(), servers,
							scenario.routing() == Routing.HAPROXY, logs.resolve("haproxy.log"), children);
					routers = new HaproxyEndpoints(haproxy.runtimeApi());
					Route frontend = new Route(haproxy.frontend(), null);
					load = new LoadGenerator(() -> frontend, this.settings.requestsPerSecond(), scenario.work(),
							requestTimeout);
				}
				else {
					ClientSideBalancer balancer = new ClientSideBalancer();
					pods.forEach((pod, instance) -> balancer.add(pod, instance.name(), instance.servingPort()));
					routers = balancer;
					load = new LoadGenerator(balancer, this.settings.requestsPerSecond(), scenario.work(),
							requestTimeout);
				}
				List<EndpointPropagation> propagations = new ArrayList<>();
				propagations.add(EndpointPropagation.toRouters(routers, scenario.propagationLag()));
				if (apiServer != null) {
					pods.forEach((pod, instance) -> apiServer.add(pod, instance.name(), instance.port()));
					propagations.add(EndpointPropagation.toApiServer(apiServer, CONTROL_PLANE_DELAY));
				}
				PodStarter replacements = (pod) -> startReady(launcher, pod + "-v2", started);
				RollingRestart restart = new RollingRestart(new Kubelet(scenario.variant().preStopSleep(),
						this.settings.terminationGracePeriod(), timeline), propagations, replacements, timeline);
				return runUnderLoad(scenario, load, requestTimeout, restart, pods, timeline);
			}
			finally {
				if (haproxy != null) {
					haproxy.close();
				}
				started.forEach(SampleInstance::close);
			}
		}
	}

	private ScenarioResult runUnderLoad(Scenario scenario, SteadyLoad steadyLoad, Duration requestTimeout,
			RollingRestart restart, Map<String, SampleInstance> pods, Timeline timeline)
			throws IOException, InterruptedException {
		try (SteadyLoad load = steadyLoad) {
			long origin = System.nanoTime();
			load.start(LOAD_LIMIT);
			// Steady traffic before and after the restart is part of the scenario
			Thread.sleep(this.settings.warmUp().toMillis());
			RollingRestart.Result result = restart.run(pods);
			Thread.sleep(this.settings.tail().toMillis());
			long end = System.nanoTime();
			List<RequestRecord> requests = load.stop(requestTimeout.plus(REQUEST_TIMEOUT_ALLOWANCE));
			return new ScenarioResult(scenario, origin, end, requests, result.stops(), timeline.events(),
					load.streams());
		}
	}

	private static Path emptyDirectory(Path directory) throws IOException {
		Files.createDirectories(directory);
		try (Stream<Path> files = Files.list(directory)) {
			for (Path file : files.toList()) {
				Files.deleteIfExists(file);
			}
		}
		return directory;
	}

	private List<String> arguments(Scenario scenario, @Nullable EndpointSliceApiServer apiServer, Path logs)
			throws IOException {
		List<String> arguments = new ArrayList<>();
		if (scenario.stack().servesGrpc()) {
			arguments.add(GRPC_ADDRESS);
		}
		arguments.add("--graceful-shutdown.termination-grace-period="
				+ this.settings.terminationGracePeriod().toMillis() + "ms");
		arguments.addAll(scenario.variant().arguments());
		if (apiServer != null) {
			// Off-cluster, over plain http: no service account token or CA is read
			arguments.add(ENDPOINT_WATCH + "api-server=" + apiServer.url());
			arguments.add(ENDPOINT_WATCH + "namespace-file=" + EndpointSliceApiServer.writeNamespaceFile(logs));
		}
		return arguments;
	}

	private Map<String, SampleInstance> startPods(Stack stack, SampleLauncher launcher, List<SampleInstance> started)
			throws IOException {
		Map<String, SampleInstance> pods = new LinkedHashMap<>();
		for (String pod : PODS) {
			SampleInstance instance = launcher.launch(pod + "-v1");
			started.add(instance);
			pods.put(pod, instance);
		}
		pods.values().forEach((instance) -> instance.awaitReady(READY_TIMEOUT));
		// The first pods have served before the rollout; only their replacements start
		// cold
		for (SampleInstance instance : pods.values()) {
			if (stack.servesGrpc()) {
				GrpcLoadGenerator.warmUp(instance.servingPort(), WARM_UP_REQUESTS, WARM_UP_LIMIT);
			}
			else {
				instance.warmUp(WARM_UP_PATH, WARM_UP_REQUESTS, WARM_UP_LIMIT);
			}
		}
		return pods;
	}

	private static SampleInstance startReady(SampleLauncher launcher, String name, List<SampleInstance> started)
			throws IOException {
		SampleInstance instance = launcher.launch(name);
		started.add(instance);
		instance.awaitReady(READY_TIMEOUT);
		return instance;
	}

}
