package io.github.gracefulshutdown.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainListener;
import io.github.gracefulshutdown.drain.DrainPhase;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.drain.ExtendingPropagationWindow;
import io.github.gracefulshutdown.drain.FixedPropagationWindow;
import io.github.gracefulshutdown.drain.PropagationWindow;
import io.github.gracefulshutdown.drain.event.DrainCompletedEvent;
import io.github.gracefulshutdown.drain.event.DrainStartedEvent;
import io.github.gracefulshutdown.drain.event.DrainWindowEndedEvent;
import io.github.gracefulshutdown.task.TaskDrainAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.context.LifecycleAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.ContextStartedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.context.event.SimpleApplicationEventMulticaster;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.core.task.SimpleAsyncTaskExecutor;
import org.springframework.context.support.DefaultLifecycleProcessor;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GracefulShutdownAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				ApplicationAvailabilityAutoConfiguration.class, LifecycleAutoConfiguration.class));

	@Test
	void whenServletWebApplicationThenDrainIsConfigured() {
		this.runner.run((context) -> {
			assertThat(context).hasSingleBean(DrainCoordinator.class)
				.hasSingleBean(PropagationWindow.class)
				.hasSingleBean(DrainBudget.class)
				.hasSingleBean(ContextClosedDrainTrigger.class)
				.hasSingleBean(ReadinessDrainListener.class);
			assertThat(context.getBean(DrainCoordinator.class).state()).isEqualTo(DrainState.SERVING);
		});
	}

	@Test
	void whenNotAWebApplicationThenBacksOff() {
		new ApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class))
			.run((context) -> assertThat(context).doesNotHaveBean(DrainCoordinator.class));
	}

	@Test
	void whenDisabledThenBacksOff() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DrainCoordinator.class)
				.doesNotHaveBean(ContextClosedDrainTrigger.class)
				.doesNotHaveBean(DrainBudget.class));
	}

	@Test
	void whenUserDefinesWindowAndCoordinatorThenTheirsAreUsed() {
		this.runner.withUserConfiguration(UserDrainConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(DrainCoordinator.class).hasSingleBean(PropagationWindow.class);
			assertThat(context.getBean(PropagationWindow.class)).isSameAs(UserDrainConfiguration.WINDOW);
			assertThat(context.getBean(DrainCoordinator.class)).isSameAs(context.getBean("userCoordinator"));
		});
	}

	@Test
	void whenNotOnKubernetesThenWindowDefaultsToZero() {
		this.runner.run((context) -> assertThat(context.getBean(PropagationWindow.class).maxLength()).isZero());
	}

	@Test
	void whenOnKubernetesThenWindowLastsAtLeastTenSecondsAndExtendsUpToWhatTheBudgetLeaves(CapturedOutput output) {
		withoutWaitingAtClose().withPropertyValues("spring.main.cloud-platform=kubernetes").run((context) -> {
			PropagationWindow window = context.getBean(PropagationWindow.class);
			assertThat(window).isInstanceOf(ExtendingPropagationWindow.class)
				.hasToString("at least 10s, extended until 2s without requests, at most 22s");
			assertThat(window.minLength()).isEqualTo(Duration.ofSeconds(10));
			assertThat(window.maxLength()).isEqualTo(Duration.ofSeconds(22));
			assertThat(output).contains("Drain budget: window 10s, extended while requests arrive up to 22s"
					+ " + drain listeners 1s + in-flight drain at least 5s (what the window leaves, as "
					+ "spring.lifecycle.timeout-per-shutdown-phase is not set) + safety margin 2s = 30s of 30s "
					+ "termination grace period");
		});
	}

	@Test
	void whenWindowModeIsFixedThenTheWindowLastsExactlyTheDelay(CapturedOutput output) {
		withoutWaitingAtClose()
			.withPropertyValues("spring.main.cloud-platform=kubernetes", "graceful-shutdown.window.mode=fixed")
			.run((context) -> {
				PropagationWindow window = context.getBean(PropagationWindow.class);
				assertThat(window).isInstanceOf(FixedPropagationWindow.class);
				assertThat(window.minLength()).isEqualTo(Duration.ofSeconds(10));
				assertThat(window.maxLength()).isEqualTo(Duration.ofSeconds(10));
				assertThat(context.getBean(DrainBudget.class).inFlightTimeout()).isEqualTo(Duration.ofSeconds(17));
				assertThat(output).contains("Drain budget: window 10s + drain listeners 1s + in-flight drain 17s"
						+ " (what the window leaves, as spring.lifecycle.timeout-per-shutdown-phase is not set)");
			});
	}

	@Test
	void whenDelayIsSetThenItWinsOverThePlatformDefault() {
		withoutWaitingAtClose()
			.withPropertyValues("spring.main.cloud-platform=kubernetes", "graceful-shutdown.delay=3s")
			.run((context) -> assertThat(context.getBean(PropagationWindow.class).minLength())
				.isEqualTo(Duration.ofSeconds(3)));
	}

	@Test
	void whenWindowMaxAndQuietPeriodAreSetThenTheyBoundTheWindow() {
		withoutWaitingAtClose()
			.withPropertyValues("graceful-shutdown.delay=5s", "graceful-shutdown.window.quiet-period=500ms",
					"graceful-shutdown.window.max=12s")
			.run((context) -> {
				assertThat(context.getBean(PropagationWindow.class))
					.hasToString("at least 5s, extended until 500ms without requests, at most 12s");
				DrainBudget budget = context.getBean(DrainBudget.class);
				assertThat(budget.allotments().get(0)).isEqualTo(
						new DrainBudget.Allotment("window", "graceful-shutdown.window.max", Duration.ofSeconds(12)));
				assertThat(budget.inFlightTimeout()).isEqualTo(Duration.ofSeconds(15));
			});
	}

	@Test
	void whenTheInFlightTimeoutIsSetThenTheCeilingLeavesItFree() {
		withoutWaitingAtClose()
			.withPropertyValues("spring.main.cloud-platform=kubernetes",
					"spring.lifecycle.timeout-per-shutdown-phase=8s")
			.run((context) -> {
				assertThat(context.getBean(PropagationWindow.class).maxLength()).isEqualTo(Duration.ofSeconds(19));
				assertThat(context.getBean(DrainBudget.class).inFlightTimeout()).isEqualTo(Duration.ofSeconds(8));
			});
	}

	@Test
	void whenTheFloorLeavesLessThanTheReserveThenTheWindowDoesNotExtendAndTheInFlightDrainGetsWhatIsLeft() {
		withoutWaitingAtClose().withPropertyValues("graceful-shutdown.delay=25s").run((context) -> {
			PropagationWindow window = context.getBean(PropagationWindow.class);
			assertThat(window.minLength()).isEqualTo(Duration.ofSeconds(25));
			assertThat(window.maxLength()).isEqualTo(Duration.ofSeconds(25));
			assertThat(context.getBean(DrainBudget.class).inFlightTimeout()).isEqualTo(Duration.ofSeconds(2));
		});
	}

	@Test
	void whenWindowMaxIsShorterThanTheDelayThenStartupFailsNamingBothProperties() {
		this.runner.withPropertyValues("graceful-shutdown.delay=10s", "graceful-shutdown.window.max=5s")
			.run((context) -> assertFailure(context,
					"graceful-shutdown.window.max (5s) is shorter than graceful-shutdown.delay (10s)",
					"Raise graceful-shutdown.window.max or lower graceful-shutdown.delay"));
	}

	@Test
	void whenWindowMaxLeavesNoTimeForRequestsInFlightThenStartupFailsNamingIt() {
		this.runner.withPropertyValues("graceful-shutdown.delay=10s", "graceful-shutdown.window.max=28s")
			.run((context) -> assertFailure(context, "these steps leave no time for requests in flight",
					"Shorten graceful-shutdown.window.max or graceful-shutdown.listener-timeout"));
	}

	@Test
	void whenWindowQuietPeriodIsZeroThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("graceful-shutdown.delay=3s", "graceful-shutdown.window.quiet-period=0s")
			.run((context) -> assertFailure(context, "graceful-shutdown.window.quiet-period is 0s",
					"Set graceful-shutdown.window.quiet-period"));
	}

	@Test
	void whenAdaptiveAndWindowPropertiesAreBothSetThenStartupFailsNamingTheReplacements() {
		this.runner
			.withPropertyValues("graceful-shutdown.delay=15s", "graceful-shutdown.adaptive.enabled=true",
					"graceful-shutdown.window.quiet-period=1s")
			.run((context) -> assertFailure(context,
					"graceful-shutdown.adaptive.enabled is true and graceful-shutdown.window.* is set",
					"Remove graceful-shutdown.adaptive.*: set graceful-shutdown.delay to the shortest window (what "
							+ "graceful-shutdown.adaptive.min-delay was), graceful-shutdown.window.quiet-period to the "
							+ "quiet period and graceful-shutdown.window.max to the longest window (what "
							+ "graceful-shutdown.delay was)."));
	}

	@Test
	void whenAdaptiveWindowIsEnabledThenTheDelayBoundsIt() {
		withoutWaitingAtClose()
			.withPropertyValues("graceful-shutdown.delay=15s", "graceful-shutdown.adaptive.enabled=true",
					"graceful-shutdown.adaptive.min-delay=3s", "graceful-shutdown.adaptive.quiet-period=1500ms")
			.run((context) -> {
				PropagationWindow window = context.getBean(PropagationWindow.class);
				assertThat(window).isInstanceOf(ExtendingPropagationWindow.class);
				assertThat(window.minLength()).isEqualTo(Duration.ofSeconds(3));
				assertThat(window.maxLength()).isEqualTo(Duration.ofSeconds(15));
				assertThat(window).hasToString("at least 3s, extended until 1s500ms without requests, at most 15s");
				assertThat(context.getBean(DrainBudget.class).inFlightTimeout()).isEqualTo(Duration.ofSeconds(12));
			});
	}

	@Test
	void whenAdaptiveWindowIsEnabledWithoutDelayThenThereIsNoWindow() {
		this.runner.withPropertyValues("graceful-shutdown.adaptive.enabled=true").run((context) -> {
			PropagationWindow window = context.getBean(PropagationWindow.class);
			assertThat(window).isInstanceOf(FixedPropagationWindow.class);
			assertThat(window.maxLength()).isZero();
		});
	}

	@Test
	void whenAdaptiveMinimumExceedsTheDelayThenStartupFailsNamingBothProperties() {
		this.runner
			.withPropertyValues("graceful-shutdown.delay=3s", "graceful-shutdown.adaptive.enabled=true",
					"graceful-shutdown.adaptive.min-delay=5s")
			.run((context) -> assertFailure(context,
					"graceful-shutdown.adaptive.min-delay (5s) is longer than graceful-shutdown.delay (3s)",
					"Lower graceful-shutdown.adaptive.min-delay or raise graceful-shutdown.delay."));
	}

	@Test
	void whenAdaptiveQuietPeriodIsZeroThenStartupFailsNamingTheProperty() {
		this.runner
			.withPropertyValues("graceful-shutdown.delay=3s", "graceful-shutdown.adaptive.enabled=true",
					"graceful-shutdown.adaptive.quiet-period=0s")
			.run((context) -> assertFailure(context, "graceful-shutdown.adaptive.quiet-period is 0s",
					"Set graceful-shutdown.adaptive.quiet-period"));
	}

	@Test
	void propertiesBind() {
		withoutWaitingAtClose()
			.withPropertyValues("graceful-shutdown.delay=1500ms", "graceful-shutdown.termination-grace-period=1m",
					"graceful-shutdown.safety-margin=5s", "graceful-shutdown.close-connections=false",
					"graceful-shutdown.adaptive.enabled=true", "graceful-shutdown.adaptive.min-delay=1s",
					"graceful-shutdown.adaptive.quiet-period=700ms")
			.run((context) -> {
				GracefulShutdownProperties properties = context.getBean(GracefulShutdownProperties.class);
				assertThat(properties.isCloseConnections()).isFalse();
				assertThat(properties.getWindow().getMode()).isEqualTo(GracefulShutdownProperties.Window.Mode.EXTEND);
				assertThat(properties.getAdaptive().isEnabled()).isTrue();
				assertThat(properties.getAdaptive().getMinDelay()).isEqualTo(Duration.ofSeconds(1));
				assertThat(properties.getAdaptive().getQuietPeriod()).isEqualTo(Duration.ofMillis(700));
				assertThat(properties.getDelay()).isEqualTo(Duration.ofMillis(1500));
				assertThat(properties.getTerminationGracePeriod()).isEqualTo(Duration.ofMinutes(1));
				assertThat(properties.getSafetyMargin()).isEqualTo(Duration.ofSeconds(5));
			});
	}

	@Test
	void whenInFlightTimeoutIsNotSetThenItGetsWhatTheLongestWindowLeaves() {
		withoutWaitingAtClose().withPropertyValues("spring.main.cloud-platform=kubernetes").run((context) -> {
			DrainBudget budget = context.getBean(DrainBudget.class);
			assertThat(budget.isInFlightTimeoutDerived()).isTrue();
			assertThat(budget.inFlightTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(lifecycleTimeout(context)).isEqualTo(5_000L);
		});
	}

	@Test
	void whenInFlightTimeoutIsSetThenItIsLeftAlone() {
		withoutWaitingAtClose()
			.withPropertyValues("graceful-shutdown.delay=5s", "spring.lifecycle.timeout-per-shutdown-phase=20s")
			.run((context) -> {
				DrainBudget budget = context.getBean(DrainBudget.class);
				assertThat(budget.isInFlightTimeoutDerived()).isFalse();
				assertThat(budget.inFlightTimeout()).isEqualTo(Duration.ofSeconds(20));
				assertThat(lifecycleTimeout(context)).isEqualTo(20_000L);
			});
	}

	@Test
	void whenAnIntegrationDeclaresAStepThenTheBudgetCountsIt() {
		withoutWaitingAtClose().withPropertyValues("graceful-shutdown.delay=10s")
			.withBean("extraStep", DrainBudget.Allotment.class,
					() -> new DrainBudget.Allotment("extra", "graceful-shutdown.extra", Duration.ofSeconds(5)))
			.run((context) -> {
				DrainBudget budget = context.getBean(DrainBudget.class);
				assertThat(budget.allotments()).extracting(DrainBudget.Allotment::step)
					.containsExactly("window", "drain listeners", "extra", "in-flight drain", "safety margin");
				assertThat(budget.allotments().get(0).duration()).isEqualTo(Duration.ofSeconds(17));
				assertThat(budget.inFlightTimeout()).isEqualTo(Duration.ofSeconds(5));
			});
	}

	@Test
	void whenContextClosesThenDrainRunsThroughEveryPhaseAndPublishesEvents() {
		this.runner.withPropertyValues("graceful-shutdown.delay=200ms")
			.withUserConfiguration(EventRecorderConfiguration.class)
			.run((context) -> {
				DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
				List<ApplicationEvent> events = context.getBean(EventRecorder.class).events;

				context.close();

				assertThat(coordinator.state()).isEqualTo(DrainState.DRAINED);
				Drain drain = coordinator.drain().orElseThrow();
				assertThat(drain.trigger()).isEqualTo(DrainTrigger.CONTEXT_CLOSE);
				assertThat(drain.timeline()).extracting("phase")
					.containsExactly(DrainPhase.PROPAGATION_WINDOW, DrainPhase.IN_FLIGHT_DRAIN);
				assertThat(drain.timing(DrainPhase.PROPAGATION_WINDOW).duration(drain.now()))
					.isGreaterThanOrEqualTo(Duration.ofMillis(200));
				assertThat(events).hasExactlyElementsOfTypes(DrainStartedEvent.class, DrainWindowEndedEvent.class,
						DrainCompletedEvent.class);
			});
	}

	@Test
	void whenTheApplicationMulticastsEventsOnAnExecutorThenTheCloseStillWaitsForTheWindow() {
		this.runner.withPropertyValues("graceful-shutdown.delay=500ms")
			.withUserConfiguration(AsyncEventsConfiguration.class)
			.run((context) -> {
				DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);

				context.close();

				assertThat(coordinator.state()).isEqualTo(DrainState.DRAINED);
				Drain drain = coordinator.drain().orElseThrow();
				assertThat(drain.timing(DrainPhase.PROPAGATION_WINDOW).duration(drain.now()))
					.isGreaterThanOrEqualTo(Duration.ofMillis(500));
			});
	}

	@Test
	void aLazyApplicationListenerOfADrainEventIsCreatedAndToldOfIt() {
		List<DrainStartedEvent> heard = new CopyOnWriteArrayList<>();
		this.runner
			.withBean("deregistration", StartListener.class, () -> new StartListener(heard),
					(definition) -> definition.setLazyInit(true))
			.run((context) -> {
				assertThat(context.getBeanFactory().containsSingleton("deregistration")).isFalse();

				context.close();

				assertThat(heard).hasSize(1);
			});
	}

	@Test
	void whenALazyDrainListenerCannotBeCreatedThenTheOthersAndTheReportStillHearOfTheDrain(CapturedOutput output) {
		List<DrainStartedEvent> heard = new CopyOnWriteArrayList<>();
		this.runner.withBean("deregistration", StartListener.class, () -> new StartListener(heard))
			.withBean("brokenDrainListener", DrainListener.class, () -> {
				throw new IllegalStateException("registry client unavailable");
			}, (definition) -> definition.setLazyInit(true))
			.run((context) -> {
				context.close();

				assertThat(output).contains("Drain listener 'brokenDrainListener' could not be created")
					.contains("Drain report: {");
				assertThat(heard).hasSize(1);
			});
	}

	@Test
	void aLazyApplicationListenerOfOtherEventsIsNotCreatedForTheDrain() {
		this.runner.withUserConfiguration(LazyOtherListenerConfiguration.class).run((context) -> {
			CreationRecorder recorder = context.getBean(CreationRecorder.class);

			context.close();

			assertThat(recorder.created).isFalse();
		});
	}

	@Test
	void whenAnEventListenerThrowsThenTheListenersAfterItStillGetEveryEvent() {
		this.runner.withUserConfiguration(FailingEventListenerConfiguration.class, EventRecorderConfiguration.class)
			.run((context) -> {
				List<ApplicationEvent> events = context.getBean(EventRecorder.class).events;

				context.close();

				assertThat(events).hasExactlyElementsOfTypes(DrainStartedEvent.class, DrainWindowEndedEvent.class,
						DrainCompletedEvent.class);
			});
	}

	@Test
	void whenTheContextIsPausedDuringADrainThenNoStepOfTheShutdownRuns() {
		this.runner.run((context) -> {
			DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
			Drain drain = coordinator.startDrain(DrainTrigger.APPLICATION);

			context.getSourceApplicationContext().pause();

			assertThat(coordinator.state()).isEqualTo(DrainState.DRAINING);
			assertThat(drain.timeline()).extracting("phase").containsExactly(DrainPhase.PROPAGATION_WINDOW);
		});
	}

	@Test
	void whenADurationHasNoUnitThenItIsSeconds() {
		withoutWaitingAtClose()
			.withPropertyValues("graceful-shutdown.delay=10", "graceful-shutdown.termination-grace-period=45",
					"graceful-shutdown.listener-timeout=2")
			.run((context) -> {
				GracefulShutdownProperties properties = context.getBean(GracefulShutdownProperties.class);
				assertThat(properties.getDelay()).isEqualTo(Duration.ofSeconds(10));
				assertThat(properties.getTerminationGracePeriod()).isEqualTo(Duration.ofSeconds(45));
				assertThat(properties.getListenerTimeout()).isEqualTo(Duration.ofSeconds(2));
			});
	}

	@Test
	void whenADurationLooksLikeASlipOfTheUnitThenStartupWarnsNamingIt(CapturedOutput output) {
		withoutWaitingAtClose()
			.withPropertyValues("graceful-shutdown.delay=50ms", "graceful-shutdown.termination-grace-period=30000")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).contains("graceful-shutdown.delay is 50ms, which looks like a slip of the unit")
					.contains("graceful-shutdown.termination-grace-period is 8h20m, which looks like milliseconds");
			});
	}

	@Test
	void whenNothingWouldCloseTheContextOnSigtermThenStartupWarns(CapturedOutput output) {
		withoutWaitingAtClose().withPropertyValues("spring.main.register-shutdown-hook=false")
			.run((context) -> assertThat(output)
				.contains("spring.main.register-shutdown-hook is false: on SIGTERM the JVM stops without closing"));
	}

	@Test
	void whenTheWebServerShutsDownImmediatelyThenStartupWarns(CapturedOutput output) {
		withoutWaitingAtClose().withPropertyValues("server.shutdown=immediate")
			.run((context) -> assertThat(output).contains("server.shutdown is immediate"));
	}

	@Test
	void whenAConfigurationFitsOnlyOffKubernetesThenStartupWarnsBeforeTheFirstRollout(CapturedOutput output) {
		withoutWaitingAtClose().withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=20s").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).contains("This configuration will fail to start on Kubernetes, where "
					+ "graceful-shutdown.delay defaults to 10s: the drain needs 33s");
		});
	}

	@Test
	void whenTheDefaultsFitThenNoWarningIsGivenOnOrOffKubernetes(CapturedOutput output) {
		withoutWaitingAtClose().run((context) -> assertThat(context).hasNotFailed());
		withoutWaitingAtClose().withPropertyValues("spring.main.cloud-platform=kubernetes")
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void thePhasesAfterTheWindowGetWhatIsLeftUntilTheDeadlineNeverMoreThanAnExplicitTimeout() {
		withoutWaitingAtClose().withPropertyValues("spring.main.cloud-platform=kubernetes").run((context) -> {
			DrainBudget budget = context.getBean(DrainBudget.class);
			assertThat(budget.deadline()).isEqualTo(Duration.ofSeconds(28));
			assertThat(budget.phaseTimeoutLeft(Duration.ofSeconds(11).toNanos())).isEqualTo(Duration.ofSeconds(17));
			assertThat(budget.phaseTimeoutLeft(Duration.ofSeconds(25).toNanos())).isEqualTo(Duration.ofSeconds(3));
			assertThat(budget.phaseTimeoutLeft(Duration.ofSeconds(40).toNanos())).isZero();
		});
		withoutWaitingAtClose()
			.withPropertyValues("spring.main.cloud-platform=kubernetes",
					"spring.lifecycle.timeout-per-shutdown-phase=5s")
			.run((context) -> assertThat(context.getBean(DrainBudget.class).phaseTimeoutLeft(0))
				.isEqualTo(Duration.ofSeconds(5)));
	}

	@Test
	void thePhasesAfterEveryStepGetWhatIsLeftUntilTheDeadlineWithoutTheStepsAllotments() {
		withoutWaitingAtClose()
			.withPropertyValues("spring.main.cloud-platform=kubernetes", "graceful-shutdown.tasks.timeout=5s")
			.withConfiguration(AutoConfigurations.of(TaskDrainAutoConfiguration.class))
			.run((context) -> {
				DrainBudget budget = context.getBean(DrainBudget.class);
				assertThat(budget.phaseTimeoutLeft(Duration.ofSeconds(20).toNanos())).isEqualTo(Duration.ofSeconds(3));
				assertThat(budget.timeLeftAfterSteps(Duration.ofSeconds(20).toNanos()))
					.isEqualTo(Duration.ofSeconds(8));
				assertThat(budget.timeLeftAfterSteps(Duration.ofSeconds(40).toNanos())).isZero();
			});
		withoutWaitingAtClose()
			.withPropertyValues("spring.main.cloud-platform=kubernetes",
					"spring.lifecycle.timeout-per-shutdown-phase=5s")
			.run((context) -> assertThat(context.getBean(DrainBudget.class).timeLeftAfterSteps(0))
				.isEqualTo(Duration.ofSeconds(5)));
	}

	@Test
	void theShutdownsDeadlineCountsFromTheDrainOnlyWhenTheGracePeriodBeganWithIt() {
		this.runner.run((context) -> {
			ShutdownPhaseTimeouts phaseTimeouts = context.getBean(ShutdownPhaseTimeouts.class);
			Drain drain = context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.APPLICATION);
			await().until(() -> drain.elapsedNanos() > Duration.ofMillis(200).toNanos());

			long before = System.nanoTime();
			assertThat(phaseTimeouts.shutdownStarted(drain)).isGreaterThanOrEqualTo(before);
		});
		this.runner.run((context) -> {
			ShutdownPhaseTimeouts phaseTimeouts = context.getBean(ShutdownPhaseTimeouts.class);
			phaseTimeouts.preStopHookCalled();
			Drain drain = context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.PRE_STOP_HOOK);
			await().until(() -> drain.elapsedNanos() > Duration.ofMillis(200).toNanos());

			assertThat(phaseTimeouts.shutdownStarted(drain))
				.isLessThanOrEqualTo(System.nanoTime() - Duration.ofMillis(200).toNanos());
		});
	}

	@Test
	void aPreStopHookThatJoinsAnEarlierDrainStartsTheShutdownsDeadline() {
		this.runner.run((context) -> {
			ShutdownPhaseTimeouts phaseTimeouts = context.getBean(ShutdownPhaseTimeouts.class);
			Drain drain = context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.ENDPOINT);
			long before = System.nanoTime();
			phaseTimeouts.preStopHookCalled();
			long after = System.nanoTime();
			await().until(() -> System.nanoTime() - after > Duration.ofMillis(200).toNanos());

			assertThat(phaseTimeouts.shutdownStarted(drain)).isBetween(before, after);
		});
	}

	@Test
	void theReportIsWrittenBeforeTheApplicationsListenersHearOfTheDrainsCompletion(CapturedOutput output) {
		List<Boolean> reportWrittenFirst = new ArrayList<>();
		DrainListener listener = new DrainListener() {

			@Override
			public void drainCompleted(Drain drain) {
				reportWrittenFirst.add(output.getOut().contains("Drain report: {"));
			}

		};
		this.runner.withBean(DrainListener.class, () -> listener).run((context) -> {
			DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
			coordinator.startDrain(DrainTrigger.APPLICATION);

			coordinator.completeDrain();

			assertThat(reportWrittenFirst).containsExactly(true);
		});
	}

	@Test
	void whenApplicationStartsTheDrainThenReadinessRefusesTrafficAndLivenessStaysCorrect() {
		this.runner.run((context) -> {
			AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);

			context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.APPLICATION);

			assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
			assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
		});
	}

	@Test
	void codeThatInjectsSpringBootsAvailabilityBeanByItsClassStillStartsAndSeesReadinessHeldDown() {
		this.runner.withBean(AvailabilityReader.class).run((context) -> {
			assertThat(context).hasNotFailed();
			AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
			context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.APPLICATION);

			assertThat(context.getBean(AvailabilityReader.class).availability.getReadinessState())
				.isEqualTo(ReadinessState.REFUSING_TRAFFIC);
		});
	}

	@Test
	void whenDrainStartedBeforeCloseThenCloseJoinsIt() {
		this.runner.withPropertyValues("graceful-shutdown.delay=100ms")
			.withUserConfiguration(EventRecorderConfiguration.class)
			.run((context) -> {
				DrainCoordinator coordinator = context.getBean(DrainCoordinator.class);
				List<ApplicationEvent> events = context.getBean(EventRecorder.class).events;
				Drain drain = coordinator.startDrain(DrainTrigger.PRE_STOP_HOOK);

				context.close();

				assertThat(coordinator.drain()).containsSame(drain);
				assertThat(drain.trigger()).isEqualTo(DrainTrigger.PRE_STOP_HOOK);
				assertThat(drain.isCompleted()).isTrue();
				assertThat(events).filteredOn(DrainStartedEvent.class::isInstance).hasSize(1);
			});
	}

	@Test
	void whenDelayIsNegativeThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("graceful-shutdown.delay=-5s")
			.run((context) -> assertFailure(context, "graceful-shutdown.delay is -5s", "Set graceful-shutdown.delay"));
	}

	@Test
	void whenGracePeriodIsZeroThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("graceful-shutdown.termination-grace-period=0s")
			.run((context) -> assertFailure(context, "graceful-shutdown.termination-grace-period is 0s",
					"Set graceful-shutdown.termination-grace-period"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "-1s", "0s" })
	void whenSafetyMarginIsNotPositiveThenStartupFailsNamingTheProperty(String margin) {
		this.runner.withPropertyValues("graceful-shutdown.safety-margin=" + margin)
			.run((context) -> assertFailure(context, "graceful-shutdown.safety-margin is " + margin,
					"Set graceful-shutdown.safety-margin to a positive duration, such as 2s."));
	}

	/**
	 * With no time, the drain would not wait for its own report either, which the close
	 * and the exit of the JVM could then cut off.
	 */
	@ParameterizedTest
	@ValueSource(strings = { "-1s", "0s" })
	void whenListenerTimeoutIsNotPositiveThenStartupFailsNamingTheProperty(String timeout) {
		this.runner.withPropertyValues("graceful-shutdown.listener-timeout=" + timeout)
			.run((context) -> assertFailure(context, "graceful-shutdown.listener-timeout is " + timeout,
					"Set graceful-shutdown.listener-timeout to a positive duration, such as 1s."));
	}

	@Test
	void whenInFlightTimeoutIsNegativeThenStartupFailsNamingTheProperty() {
		this.runner.withPropertyValues("spring.lifecycle.timeout-per-shutdown-phase=-1s")
			.run((context) -> assertFailure(context, "spring.lifecycle.timeout-per-shutdown-phase is -1s",
					"Set spring.lifecycle.timeout-per-shutdown-phase"));
	}

	@Test
	void whenExplicitSettingsExceedTheGracePeriodThenStartupFailsNamingEachProperty() {
		this.runner.withPropertyValues("graceful-shutdown.delay=15s", "spring.lifecycle.timeout-per-shutdown-phase=20s")
			.run((context) -> assertFailure(context,
					"the drain needs 38s but graceful-shutdown.termination-grace-period is 30s",
					"Shorten the steps above by 8s in total, or raise terminationGracePeriodSeconds in the pod spec to at least 38s"));
	}

	@Test
	void whenWindowLeavesNoTimeForRequestsInFlightThenStartupFails() {
		this.runner.withPropertyValues("graceful-shutdown.delay=28s")
			.run((context) -> assertFailure(context, "these steps leave no time for requests in flight",
					"Shorten graceful-shutdown.delay or graceful-shutdown.listener-timeout, or raise terminationGracePeriodSeconds"));
	}

	/**
	 * Runner for tests about configuration only: a coordinator without window keeps the
	 * close at the end of the test from waiting for the configured window.
	 */
	private WebApplicationContextRunner withoutWaitingAtClose() {
		return this.runner.withBean("noWindowCoordinator", DrainCoordinator.class,
				() -> new DrainCoordinator(new FixedPropagationWindow(Duration.ZERO), List::of, Clock.systemUTC()));
	}

	private void assertFailure(AssertableWebApplicationContext context, String description, String action) {
		assertThat(context).hasFailed();
		assertThat(context.getStartupFailure()).rootCause()
			.isInstanceOf(InvalidDrainConfigurationException.class)
			.hasMessageContaining(description.replace("Invalid graceful shutdown configuration: ", ""));
		FailureAnalysis analysis = new InvalidDrainConfigurationFailureAnalyzer().analyze(context.getStartupFailure());
		assertThat(analysis).isNotNull();
		assertThat(analysis.getDescription()).startsWith("Invalid graceful shutdown configuration: ")
			.contains(description);
		assertThat(analysis.getAction()).contains(action);
	}

	private static Object lifecycleTimeout(AssertableWebApplicationContext context) {
		return ReflectionTestUtils.getField(context.getBean("lifecycleProcessor", DefaultLifecycleProcessor.class),
				"timeoutPerShutdownPhase");
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDrainConfiguration {

		static final PropagationWindow WINDOW = new FixedPropagationWindow(Duration.ofSeconds(1));

		@Bean
		PropagationWindow userWindow() {
			return WINDOW;
		}

		@Bean
		DrainCoordinator userCoordinator() {
			return new DrainCoordinator(WINDOW, List::of, Clock.systemUTC());
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AsyncEventsConfiguration {

		@Bean
		SimpleApplicationEventMulticaster applicationEventMulticaster() {
			SimpleApplicationEventMulticaster multicaster = new SimpleApplicationEventMulticaster();
			multicaster.setTaskExecutor(new SimpleAsyncTaskExecutor("events-"));
			return multicaster;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class EventRecorderConfiguration {

		@Bean
		EventRecorder eventRecorder() {
			return new EventRecorder();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingEventListenerConfiguration {

		@Bean
		FailingEventListener failingEventListener() {
			return new FailingEventListener();
		}

	}

	static class FailingEventListener {

		@EventListener
		@Order(Ordered.HIGHEST_PRECEDENCE)
		void fail(ApplicationEvent event) {
			if (event.getSource() instanceof Drain) {
				throw new IllegalStateException("Failing drain event listener");
			}
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyOtherListenerConfiguration {

		@Bean
		CreationRecorder creationRecorder() {
			return new CreationRecorder();
		}

		@Bean
		@Lazy
		ApplicationListener<ContextStartedEvent> startedListener(CreationRecorder recorder) {
			recorder.created = true;
			return (event) -> {
			};
		}

	}

	static class CreationRecorder {

		volatile boolean created;

	}

	static class StartListener implements ApplicationListener<DrainStartedEvent> {

		private final List<DrainStartedEvent> heard;

		StartListener(List<DrainStartedEvent> heard) {
			this.heard = heard;
		}

		@Override
		public void onApplicationEvent(DrainStartedEvent event) {
			this.heard.add(event);
		}

	}

	static class EventRecorder implements ApplicationListener<ApplicationEvent> {

		final List<ApplicationEvent> events = new ArrayList<>();

		@Override
		public void onApplicationEvent(ApplicationEvent event) {
			if (event instanceof DrainStartedEvent || event instanceof DrainWindowEndedEvent
					|| event instanceof DrainCompletedEvent) {
				this.events.add(event);
			}
		}

	}

	static class AvailabilityReader {

		final ApplicationAvailabilityBean availability;

		AvailabilityReader(ApplicationAvailabilityBean availability) {
			this.availability = availability;
		}

	}

}
