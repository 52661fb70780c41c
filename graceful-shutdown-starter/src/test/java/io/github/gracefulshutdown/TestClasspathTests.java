package io.github.gracefulshutdown;

import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Guards what the tests take for granted about their classpath, which holds Spring MVC
 * and WebFlux side by side.
 */
class TestClasspathTests {

	/**
	 * Spring Boot asks Spring MVC's deducer before WebFlux's, so the test applications
	 * that do not say otherwise start as servlet applications on Tomcat or Jetty; the
	 * WebFlux ones set {@code spring.main.web-application-type=reactive}.
	 */
	@Test
	void whenSpringMvcAndWebFluxAreBothPresentThenApplicationsStartAsServletApplications() {
		assertThat(WebApplicationType.deduce()).isEqualTo(WebApplicationType.SERVLET);
	}

}
