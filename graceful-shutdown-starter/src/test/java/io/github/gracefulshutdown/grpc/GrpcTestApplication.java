package io.github.gracefulshutdown.grpc;

import io.github.gracefulshutdown.testsupport.EchoService;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A web application that also serves gRPC through Spring gRPC's Netty server.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
class GrpcTestApplication {

	@Bean
	EchoService echoService() {
		return new EchoService("first");
	}

}
