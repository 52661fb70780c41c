package io.github.gracefulshutdown.web;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.web.server.ManagementPortType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;
import org.springframework.web.context.WebApplicationContext;

/**
 * The {@link ProbeDetector} every web stack's request integration shares: it knows the
 * actuator's paths when actuator is there, and counts every request as traffic otherwise.
 */
@Configuration(proxyBeanMethods = false)
@Import(ProbeDetectorConfiguration.ActuatorProbeConfiguration.class)
public class ProbeDetectorConfiguration {

	/**
	 * Without actuator endpoints, no request on the main port is a probe.
	 * @return the detector
	 */
	@Bean
	@ConditionalOnMissingBean
	ProbeDetector drainProbeDetector() {
		return new ProbeDetector(ProbePaths::none);
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnClass({ PathMappedEndpoints.class, ManagementPortType.class })
	static class ActuatorProbeConfiguration {

		@Bean
		@ConditionalOnMissingBean
		ProbeDetector drainProbeDetector(ApplicationContext context, Environment environment,
				ObjectProvider<PathMappedEndpoints> endpoints) {
			return new ProbeDetector(
					new ActuatorProbePaths(environment, endpoints, context instanceof WebApplicationContext));
		}

	}

}
