package io.github.gracefulshutdown.web.servlet;

import io.github.gracefulshutdown.autoconfigure.GracefulShutdownAutoConfiguration;
import io.github.gracefulshutdown.test.TestDefaults;
import jakarta.servlet.DispatcherType;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
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
		.withPropertyValues(TestDefaults.PROPERTIES)
		.withConfiguration(
				AutoConfigurations.of(GracefulShutdownAutoConfiguration.class, ServletDrainAutoConfiguration.class));

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
			assertThat(context).hasSingleBean(InFlightDeadlineReporter.class);
		});
	}

	@Test
	void whenTheDrainIsDisabledThenBacksOff() {
		this.runner.withPropertyValues("graceful-shutdown.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(FilterRegistrationBean.class)
				.doesNotHaveBean(InFlightDeadlineReporter.class));
	}

}
