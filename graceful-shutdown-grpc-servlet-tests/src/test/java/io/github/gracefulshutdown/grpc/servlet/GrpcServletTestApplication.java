package io.github.gracefulshutdown.grpc.servlet;

import io.github.gracefulshutdown.testsupport.EchoService;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * A servlet web application whose gRPC service Tomcat serves, through Spring gRPC's
 * servlet transport, which writes the status of calls that end with an error late.
 */
@SpringBootApplication(proxyBeanMethods = false)
public class GrpcServletTestApplication {

	@Bean
	EchoService echoService() {
		return new EchoService("servlet");
	}

	@Bean
	SlowErrorTrailers slowErrorTrailers() {
		return new SlowErrorTrailers();
	}

}
