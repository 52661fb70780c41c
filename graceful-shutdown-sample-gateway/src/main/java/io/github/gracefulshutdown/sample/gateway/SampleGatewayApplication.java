package io.github.gracefulshutdown.sample.gateway;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Cloud Gateway in front of one backend that drains before it stops, thanks to
 * the graceful shutdown starter on its classpath. Its routes are in
 * {@code application.yml}; it has no code of its own.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class SampleGatewayApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleGatewayApplication.class, args);
	}

}
