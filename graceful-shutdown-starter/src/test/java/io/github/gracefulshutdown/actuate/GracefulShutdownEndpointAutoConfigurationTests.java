package io.github.gracefulshutdown.actuate;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.LockSupport;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import io.github.gracefulshutdown.autoconfigure.DrainBudget;
import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.autoconfigure.InvalidDrainConfigurationException;
import io.github.gracefulshutdown.autoconfigure.ShutdownPhaseTimeouts;
import io.github.gracefulshutdown.drain.Drain;
import io.github.gracefulshutdown.drain.DrainCoordinator;
import io.github.gracefulshutdown.drain.DrainListener;
import io.github.gracefulshutdown.drain.DrainState;
import io.github.gracefulshutdown.drain.DrainTrigger;
import io.github.gracefulshutdown.test.TestDefaults;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.jmx.JmxEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.Operation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.WebEndpointsSupplier;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.jmx.JmxAutoConfiguration;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link GracefulShutdownEndpointAutoConfiguration} and
 * {@link DrainHealthAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class GracefulShutdownEndpointAutoConfigurationTests {

	private static final Object[] NO_ARGUMENTS = {};

	private static final String[] NO_TYPES = {};

	private static final String MAIN_PORT_WARNING = "starts a drain and is served on the application's main port";

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
				GracefulShutdownEndpointAutoConfiguration.class, DrainHealthAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class))
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withPropertyValues("spring.main.cloud-platform=none");

	@Test
	void whenExposedTheDrainEndpointIsAvailableButThePreStopEndpointIsNot() {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=gracefulshutdown,prestop")
			.run((context) -> assertThat(context).hasSingleBean(GracefulShutdownEndpoint.class)
				.doesNotHaveBean(PreStopEndpoint.class));
	}

	@Test
	void whenNeitherEndpointIsExposedThenNothingOfThemIsRegistered() {
		this.runner.run((context) -> assertThat(context).doesNotHaveBean(GracefulShutdownEndpoint.class)
			.doesNotHaveBean(PreStopEndpoint.class)
			.doesNotHaveBean(GracefulShutdownEndpointAutoConfiguration.class));
	}

	@Test
	void thePreStopEndpointIsAvailableOnlyWhenAccessIsGrantedAndItIsExposed() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=prestop",
					"management.endpoint.prestop.access=READ_ONLY")
			.run((context) -> assertThat(context).hasSingleBean(PreStopEndpoint.class));
	}

	@ParameterizedTest(name = "{0}")
	@CsvSource(delimiter = '|',
			textBlock = """
					# settings, besides management.endpoints.web.exposure.include=*                                    | gracefulshutdown | prestop
					none                                                                                               | READ             | -
					management.endpoints.access.default=read-only                                                      | READ             | -
					management.endpoints.access.default=unrestricted                                                   | READ             | -
					management.endpoints.enabled-by-default=true                                                       | READ             | -
					management.endpoint.prestop.enabled=true                                                           | READ             | -
					management.endpoint.gracefulshutdown.access=read-only                                              | READ             | -
					management.endpoint.prestop.access=read-only                                                       | READ             | READ
					management.endpoint.prestop.access=unrestricted                                                    | READ             | READ
					management.endpoint.gracefulshutdown.access=unrestricted                                           | READ WRITE       | -
					management.endpoints.access.default=unrestricted; management.endpoint.prestop.access=read-only     | READ             | READ
					management.endpoints.access.max-permitted=read-only; management.endpoint.prestop.access=read-only; management.endpoint.gracefulshutdown.access=unrestricted | READ | -
					management.endpoints.access.max-permitted=none; management.endpoint.prestop.access=unrestricted     | -                | -
					""")
	void onlyTheirOwnAccessSettingTurnsTheDrainTriggersOn(String settings, String drainOperations,
			String preStopOperations) {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withPropertyValues(settings.equals("none") ? new String[0] : settings.split(";\\s*"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(webOperations(context, "gracefulshutdown")).isEqualTo(operations(drainOperations));
				assertThat(webOperations(context, "prestop")).isEqualTo(operations(preStopOperations));
			});
	}

	@Test
	void whenATriggerIsServedOnTheMainPortThenAWarningNamesTheManagementPortProperty(CapturedOutput output) {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoint.prestop.access=read-only",
					"management.endpoint.gracefulshutdown.access=unrestricted")
			.run((context) -> assertThat(output.getOut().lines().filter((line) -> line.contains(MAIN_PORT_WARNING)))
				.hasSize(2)
				.allSatisfy((line) -> assertThat(line).contains("WARN").contains("management.server.port")));
	}

	@Test
	void whenTriggersAreOnlyOnASeparateManagementPortThenThereIsNoWarning(CapturedOutput output) {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=*",
					"management.endpoint.prestop.access=read-only",
					"management.endpoint.gracefulshutdown.access=unrestricted", "management.server.port=0")
			.run((context) -> {
				assertThat(context).hasSingleBean(PreStopEndpoint.class);
				assertThat(output).doesNotContain(MAIN_PORT_WARNING);
			});
	}

	@Test
	void whenNoTriggerIsOnThenThereIsNoWarning(CapturedOutput output) {
		this.runner.withPropertyValues("management.endpoints.web.exposure.include=*")
			.run((context) -> assertThat(output).doesNotContain(MAIN_PORT_WARNING));
	}

	@Test
	void overJmxNoTriggerStartsADrain() {
		this.runner
			.withConfiguration(AutoConfigurations.of(JmxAutoConfiguration.class, JmxEndpointAutoConfiguration.class))
			.withPropertyValues("spring.jmx.enabled=true", "management.endpoints.jmx.exposure.include=*",
					"management.endpoints.web.exposure.include=*", "management.endpoint.prestop.access=read-only",
					"management.endpoint.gracefulshutdown.access=unrestricted")
			.run((context) -> {
				MBeanServer server = context.getBean(MBeanServer.class);

				Object preStop = server.invoke(endpointMBean(server, "Prestop"), "preStop", NO_ARGUMENTS, NO_TYPES);
				assertThatException().isThrownBy(() -> server.invoke(endpointMBean(server, "Gracefulshutdown"),
						"startDrain", NO_ARGUMENTS, NO_TYPES));

				assertThat(preStop).asString().contains("No drain started: this call is not an HTTP request");

				assertThat(context.getBean(DrainCoordinator.class).state()).isEqualTo(DrainState.SERVING);
			});
	}

	@Test
	void theEndpointDescribesStateConfigurationAndBudget() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=gracefulshutdown",
					"graceful-shutdown.delay=0s")
			.run((context) -> {
				DrainDescriptor drain = context.getBean(GracefulShutdownEndpoint.class).drain();
				assertThat(drain.state()).isEqualTo("SERVING");
				assertThat(drain.trigger()).isNull();
				assertThat(drain.timeline()).isEmpty();
				assertThat(drain.figures()).containsEntry("requestsInFlight", 0L);
				assertThat(drain.configuration()).containsEntry("window", "fixed 0s")
					.containsEntry("closeConnections", true)
					.containsEntry("terminationGracePeriodMillis", 30_000L)
					.containsKey("budget");
			});
	}

	@Test
	void withoutARequestToCheckTheTriggersRefuseAndStartNoDrain() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=gracefulshutdown,prestop",
					"management.endpoint.prestop.access=read-only",
					"management.endpoint.gracefulshutdown.access=unrestricted")
			.run((context) -> {
				WebEndpointResponse<?> post = context.getBean(GracefulShutdownEndpointWebExtension.class).startDrain();
				WebEndpointResponse<?> preStop = context.getBean(PreStopEndpoint.class).preStop();

				assertThat(List.of(post, preStop)).allSatisfy((response) -> {
					assertThat(response.getStatus()).isEqualTo(400);
					assertThat(response.getBody()).extracting("message")
						.asString()
						.contains("not an HTTP request")
						.contains("'Graceful-Shutdown-Trigger: drain'");
				});
				assertThat(context.getBean(DrainCoordinator.class).state()).isEqualTo(DrainState.SERVING);
			});
	}

	@Test
	void aPreStopCallWaitsForTheWindowsEndAsLongAsTheCloseDoesWhenAWindowListenerIsSlow() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=prestop",
					"management.endpoint.prestop.access=read-only", "graceful-shutdown.window.mode=fixed",
					"graceful-shutdown.delay=200ms", "graceful-shutdown.listener-timeout=5s")
			.withBean("slowWindowListener", DrainListener.class, () -> new DrainListener() {

				@Override
				public void windowEnded(Drain drain) {
					LockSupport.parkNanos(Duration.ofMillis(1500).toNanos());
				}

			})
			.run((context) -> assertThat(preStopWithTheTriggerHeader(context).getBody()).extracting("windowEnded")
				.isEqualTo(true));
	}

	@Test
	void whenAPreStopCallJoinsADrainStartedEarlierThenTheShutdownsDeadlineCountsFromTheCall() {
		this.runner
			.withPropertyValues("management.endpoints.web.exposure.include=prestop",
					"management.endpoint.prestop.access=read-only")
			.run((context) -> {
				ShutdownPhaseTimeouts phaseTimeouts = context.getBean(ShutdownPhaseTimeouts.class);
				DrainBudget budget = context.getBean(DrainBudget.class);
				context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.ENDPOINT);
				assertThat(preStopWithTheTriggerHeader(context).getStatus()).isEqualTo(200);
				long answered = System.nanoTime();
				await().until(() -> System.nanoTime() - answered > Duration.ofMillis(500).toNanos());

				context.getSourceApplicationContext().close();

				long sinceAnswer = System.nanoTime() - answered;
				assertThat(phaseTimeouts.timeLeft()).isLessThanOrEqualTo(budget.phaseTimeoutLeft(sinceAnswer));
			});
	}

	@ParameterizedTest
	@CsvSource({ "prestop, read-only", "gracefulshutdown, unrestricted" })
	void whenATriggerIsTurnedOnInAReactiveApplicationThenStartupFailsNamingTheProperty(String id, String access) {
		new ReactiveWebApplicationContextRunner().withPropertyValues(TestDefaults.PROPERTIES)
			.withConfiguration(AutoConfigurations.of(GracefulShutdownAutoConfiguration.class,
					GracefulShutdownEndpointAutoConfiguration.class, EndpointAutoConfiguration.class,
					WebEndpointAutoConfiguration.class))
			.withInitializer(
					(context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
			.withPropertyValues("management.endpoints.web.exposure.include=" + id,
					"management.endpoint." + id + ".access=" + access)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidDrainConfigurationException.class)
				.hasMessageContaining("management.endpoint." + id + ".access turns on")
				.hasMessageContaining("reactive web application"));
	}

	@Test
	void theHealthIndicatorShowsTheDrainAndStaysUp() {
		this.runner.withPropertyValues("graceful-shutdown.delay=0s").run((context) -> {
			DrainHealthIndicator indicator = context.getBean(DrainHealthIndicator.class);
			assertThat(indicator.health().getDetails()).containsEntry("state", "SERVING");
			context.getBean(DrainCoordinator.class).startDrain(DrainTrigger.APPLICATION);
			assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
			assertThat(indicator.health().getDetails()).containsEntry("state", "DRAINING")
				.containsEntry("trigger", "APPLICATION");
		});
	}

	@Test
	void whenTheDrainHealthIndicatorIsDisabledThenItIsNotCreated() {
		this.runner.withPropertyValues("management.health.drain.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(DrainHealthIndicator.class));
	}

	@Test
	void whenActuatorIsAbsentThenTheEndpointsBackOff() {
		this.runner.withClassLoader(new FilteredClassLoader(Endpoint.class))
			.withPropertyValues("management.endpoints.web.exposure.include=gracefulshutdown")
			.run((context) -> assertThat(context).doesNotHaveBean(GracefulShutdownEndpoint.class));
	}

	private static Set<String> webOperations(AssertableWebApplicationContext context, String endpointId) {
		return context.getBean(WebEndpointsSupplier.class)
			.getEndpoints()
			.stream()
			.filter((endpoint) -> endpoint.getEndpointId().equals(EndpointId.of(endpointId)))
			.flatMap((endpoint) -> endpoint.getOperations().stream())
			.map(Operation::getType)
			.map(Enum::name)
			.collect(TreeSet::new, Set::add, Set::addAll);
	}

	private static Set<String> operations(String names) {
		return names.equals("-") ? Set.of() : new TreeSet<>(Arrays.asList(names.split(" ")));
	}

	private static ObjectName endpointMBean(MBeanServer server, String name) throws Exception {
		Set<ObjectName> names = server
			.queryNames(new ObjectName("org.springframework.boot:type=Endpoint,name=" + name + ",*"), null);
		assertThat(names).as("MBeans of endpoint %s", name).hasSize(1);
		return names.iterator().next();
	}

	/**
	 * Calls the preStop endpoint as a request with the trigger header would.
	 */
	private static WebEndpointResponse<?> preStopWithTheTriggerHeader(ApplicationContext context)
			throws InterruptedException {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/actuator/prestop");
		request.addHeader("Graceful-Shutdown-Trigger", "drain");
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request));
		try {
			return context.getBean(PreStopEndpoint.class).preStop();
		}
		finally {
			RequestContextHolder.resetRequestAttributes();
		}
	}

}
