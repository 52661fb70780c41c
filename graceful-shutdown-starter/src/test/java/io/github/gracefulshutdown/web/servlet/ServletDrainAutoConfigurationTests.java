package io.github.gracefulshutdown.web.servlet;

import java.util.List;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import io.github.gracefulshutdown.web.ProbeDetector;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.info.InfoEndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.AvailabilityProbesAutoConfiguration;
import org.springframework.boot.health.autoconfigure.actuate.endpoint.HealthEndpointAutoConfiguration;
import org.springframework.boot.health.autoconfigure.registry.HealthContributorRegistryAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableWebApplicationContext;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.core.Ordered;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ServletDrainAutoConfiguration}.
 */
class ServletDrainAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(
				AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, ServletDrainAutoConfiguration.class))
		.withPropertyValues(TestDefaults.PROPERTIES);

	private final WebApplicationContextRunner actuatorRunner = this.runner
		.withConfiguration(AutoConfigurations.of(ApplicationAvailabilityAutoConfiguration.class,
				EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				HealthContributorRegistryAutoConfiguration.class, HealthEndpointAutoConfiguration.class,
				AvailabilityProbesAutoConfiguration.class, InfoEndpointAutoConfiguration.class))
		.withPropertyValues("management.endpoints.web.exposure.include=health,info",
				"management.endpoint.health.probes.add-additional-paths=true");

	@Test
	@SuppressWarnings("unchecked")
	void registersTheFilterFirstForEveryDispatchType() {
		this.runner.run((context) -> {
			FilterRegistrationBean<DrainRequestFilter> registration = context.getBean("drainRequestFilter",
					FilterRegistrationBean.class);
			assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE);
			assertThat(registration.isAsyncSupported()).isTrue();
			assertThat(ReflectionTestUtils.getField(registration, "dispatcherTypes")).asString()
				.contains(DispatcherType.REQUEST.name(), DispatcherType.ASYNC.name(), DispatcherType.ERROR.name());
			assertThat(context).hasBean("inFlightDeadlineReporter");
		});
	}

	@Test
	@SuppressWarnings("unchecked")
	void registersTheEventStreamFilterRightAfterItForRequestsOnly() {
		this.runner.run((context) -> {
			FilterRegistrationBean<EventStreamRequestFilter> registration = context.getBean("eventStreamRequestFilter",
					FilterRegistrationBean.class);
			assertThat(registration.getOrder()).isEqualTo(Ordered.HIGHEST_PRECEDENCE + 1);
			assertThat(registration.isAsyncSupported()).isTrue();
			assertThat(ReflectionTestUtils.getField(registration, "dispatcherTypes")).asString()
				.isEqualTo("[" + DispatcherType.REQUEST.name() + "]");
		});
	}

	@Test
	void whenTheActuatorSharesTheMainPortThenEverythingBelowItsBasePathAndTheAdditionalPathsAreProbes() {
		this.actuatorRunner.run((context) -> assertThat(probePaths(context)).containsExactlyInAnyOrder("/actuator",
				"/livez", "/readyz"));
	}

	@Test
	void whenTheActuatorIsAtTheRootOfTheMainPortThenTheExposedEndpointsAndTheAdditionalPathsAreProbes() {
		this.actuatorRunner.withPropertyValues("management.endpoints.web.base-path=/")
			.run((context) -> assertThat(probePaths(context)).containsExactlyInAnyOrder("/health", "/info", "/livez",
					"/readyz"));
	}

	@Test
	void whenSpringMvcHasAServletPathThenTheProbePathsAreBelowIt() {
		this.actuatorRunner.withPropertyValues("spring.mvc.servlet.path=/api/")
			.run((context) -> assertThat(probePaths(context)).containsExactlyInAnyOrder("/api/actuator", "/api/livez",
					"/api/readyz"));
		this.actuatorRunner.withPropertyValues("spring.mvc.servlet.path=/api", "management.endpoints.web.base-path=/")
			.run((context) -> assertThat(probePaths(context)).containsExactlyInAnyOrder("/api/health", "/api/info",
					"/api/livez", "/api/readyz"));
	}

	@Test
	void whenTheManagementPortIsSeparateThenOnlyTheAdditionalPathsOnTheMainServerAreProbes() {
		this.actuatorRunner.withPropertyValues("server.port=8080", "management.server.port=8081",
				"management.endpoints.web.base-path=/", "management.endpoint.health.group.custom.include=livenessState",
				"management.endpoint.health.group.custom.additional-path=server:/healthz",
				"management.endpoint.health.group.internal.include=readinessState",
				"management.endpoint.health.group.internal.additional-path=management:/internalz")
			.run((context) -> assertThat(probePaths(context)).containsExactlyInAnyOrder("/healthz", "/livez",
					"/readyz"));
	}

	@Test
	void whenTheManagementPortIsTheMainPortThenItIsShared() {
		this.actuatorRunner
			.withPropertyValues("server.port=8080", "management.server.port=8080",
					"management.endpoint.health.probes.add-additional-paths=false")
			.run((context) -> assertThat(probePaths(context)).containsExactly("/actuator"));
	}

	@Test
	void whenTheActuatorHasNoWebEndpointsThenNoRequestIsAProbe() {
		this.runner.run((context) -> assertThat(probePaths(context)).isEmpty());
	}

	@Test
	void whenTheActuatorIsMissingThenNoRequestIsAProbe() {
		this.runner.withClassLoader(new FilteredClassLoader(PathMappedEndpoints.class))
			.run((context) -> assertThat(probePaths(context)).isEmpty());
	}

	@Test
	void whenTheDrainIsDisabledThenBacksOff() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean("inFlightDeadlineReporter")
				.doesNotHaveBean(ProbeDetector.class));
	}

	private static List<String> probePaths(AssertableWebApplicationContext context) {
		assertThat(context).hasSingleBean(ProbeDetector.class);
		return context.getBean(ProbeDetector.class).paths().paths();
	}

}
