package io.github.gracefulshutdown.e2e.scenario;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link Scenario}, {@link Variant}, {@link ScenarioMatrix} and the checks of
 * {@link ScenarioRunner}.
 */
class ScenarioTests {

	@Test
	void aLagFitsTheWindowWhenThePodServesAtLeastThatLongAfterT0() {
		Variant starter = Variant.starter(Duration.ofSeconds(3));

		assertThat(behindHaproxy(starter, Duration.ofSeconds(2)).lagFitsWindow()).isTrue();
		assertThat(behindHaproxy(starter, Duration.ofSeconds(5)).lagFitsWindow()).isFalse();
		assertThat(behindHaproxy(Variant.plainSpringBoot(), Duration.ofSeconds(2)).lagFitsWindow()).isFalse();
		assertThat(behindHaproxy(Variant.plainSpringBootWithPreStopSleep(Duration.ofSeconds(10)), Duration.ofSeconds(5))
			.lagFitsWindow()).isTrue();
	}

	@Test
	void variantsAreApplicationArguments() {
		assertThat(Variant.starter(Duration.ofSeconds(3)).arguments())
			.containsExactly("--graceful-shutdown.delay=3000ms", "--graceful-shutdown.window.mode=fixed");
		assertThat(Variant.plainSpringBoot().arguments()).containsExactly("--graceful-shutdown.enabled=false");
		assertThat(Variant.plainSpringBootWithPreStopSleep(Duration.ofSeconds(10)).preStopSleep())
			.isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void whenArgumentsAreAddedThenTheVariantKeepsItsOwnFirstAndItsName() {
		Variant starter = Variant.starter(Duration.ofSeconds(3));

		Variant gateway = starter.withArguments("--sample.backend-uri=http://127.0.0.1:8081");

		assertThat(gateway.arguments()).containsExactly("--graceful-shutdown.delay=3000ms",
				"--graceful-shutdown.window.mode=fixed", "--sample.backend-uri=http://127.0.0.1:8081");
		assertThat(gateway).extracting(Variant::id, Variant::label, Variant::window)
			.containsExactly(starter.id(), starter.label(), starter.window());
	}

	@Test
	void anIdNamesEveryDimensionOfTheScenario() {
		Scenario scenario = new Scenario(Stack.WEBFLUX, Routing.CLIENT_SIDE, Variant.plainSpringBoot(),
				Duration.ofSeconds(2), Duration.ofSeconds(5));

		assertThat(scenario.id()).isEqualTo("webflux-client-side-plain-2000ms-lag5000ms");
		assertThat(scenario.title())
			.isEqualTo("WebFlux on Netty, client-side, plain Spring Boot, 2 s requests, propagation lag 5 s");
	}

	@Test
	void theIdsOfTheSpringMvcScenariosHaveNoPrefixSoPublishedChartsKeepTheirNames() {
		Scenario scenario = new Scenario(Stack.SPRING_MVC, Routing.CLIENT_SIDE, Variant.plainSpringBoot(),
				Duration.ofSeconds(2), Duration.ofSeconds(5));

		assertThat(scenario.id()).isEqualTo("client-side-plain-2000ms-lag5000ms");
	}

	@Test
	void theMatrixCombinesEveryStackRoutingVariantRequestLengthAndLagOnce() {
		assertThat(ScenarioMatrix.all())
			.hasSize(Stack.httpStacks().size() * ScenarioMatrix.ROUTINGS.size() * ScenarioMatrix.VARIANTS.size()
					* ScenarioMatrix.WORK.size() * ScenarioMatrix.PROPAGATION_LAGS.size())
			.extracting(Scenario::id)
			.doesNotHaveDuplicates();
	}

	@Test
	void theMatrixRunsTheHttpStacksOnly() {
		assertThat(Stack.httpStacks()).containsExactly(Stack.SPRING_MVC, Stack.WEBFLUX);
		assertThat(ScenarioMatrix.all()).noneMatch((scenario) -> scenario.stack().servesGrpc());
	}

	@Test
	void aGrpcScenarioThroughHaproxyIsRefusedBeforeAnyPodStarts(@TempDir Path output) {
		HarnessSettings settings = new HarnessSettings(Map.of(Stack.GRPC, output.resolve("missing.jar")),
				output.resolve("haproxy"), output, 50, Duration.ofSeconds(3), Duration.ofSeconds(3),
				Duration.ofSeconds(30));
		Scenario scenario = new Scenario(Stack.GRPC, Routing.HAPROXY, Variant.plainSpringGrpc(), Duration.ofMillis(50),
				Duration.ofSeconds(2));

		assertThatIllegalArgumentException().isThrownBy(() -> new ScenarioRunner(settings).run(scenario))
			.withMessage("gRPC pods are called with client-side balancing only, not through HAProxy");
		assertThat(output).isEmptyDirectory();
	}

	@Test
	void durationsReadNaturally() {
		assertThat(Durations.format(Duration.ofMillis(50))).isEqualTo("50 ms");
		assertThat(Durations.format(Duration.ofSeconds(2))).isEqualTo("2 s");
		assertThat(Durations.format(Duration.ofMillis(3450))).isEqualTo("3.5 s");
	}

	private static Scenario behindHaproxy(Variant variant, Duration propagationLag) {
		return new Scenario(Stack.SPRING_MVC, Routing.HAPROXY, variant, Duration.ofMillis(50), propagationLag);
	}

}
