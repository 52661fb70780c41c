package io.github.gracefulshutdown.sample.grpc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small gRPC service on Spring gRPC's Netty server, with Spring MVC beside it for the
 * actuator, that drains before it stops thanks to the graceful shutdown starter on its
 * classpath.
 */
@SpringBootApplication
public class SampleGrpcApplication {

	public static void main(String[] args) {
		SpringApplication.run(SampleGrpcApplication.class, args);
	}

}
