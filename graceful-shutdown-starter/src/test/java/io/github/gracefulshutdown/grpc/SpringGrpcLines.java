package io.github.gracefulshutdown.grpc;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.springframework.boot.SpringBootVersion;
import org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration;
import org.springframework.boot.grpc.server.autoconfigure.health.GrpcServerHealthAutoConfiguration;
import org.springframework.util.ClassUtils;

/**
 * The line of Spring gRPC auto-configuration the tests run on: Spring gRPC 1.0's with
 * Spring Boot 4.0 (the default build), Spring Boot 4.1's own gRPC server module with the
 * {@code spring-boot-4.1} profile. A test about one line only is enabled by
 * {@link #onSpringGrpc10()} or {@link #onSpringBoot41()}
 * ({@code @EnabledIf("io.github.gracefulshutdown.grpc.SpringGrpcLines#onSpringBoot41")});
 * the others run on both.
 */
final class SpringGrpcLines {

	/**
	 * The line on the tests' classpath.
	 */
	static final SpringGrpcLine CURRENT = Objects
		.requireNonNull(SpringGrpcLine.of(SpringGrpcLines.class.getClassLoader()));

	private SpringGrpcLines() {
	}

	/**
	 * Returns the line that belongs to the Spring Boot version the tests run on.
	 * @return the line the build chose
	 */
	static SpringGrpcLine expected() {
		return SpringBootVersion.getVersion().startsWith("4.0.") ? SpringGrpcLine.SPRING_GRPC_1_0
				: SpringGrpcLine.SPRING_BOOT_4_1;
	}

	static boolean onSpringGrpc10() {
		return CURRENT == SpringGrpcLine.SPRING_GRPC_1_0;
	}

	static boolean onSpringBoot41() {
		return CURRENT == SpringGrpcLine.SPRING_BOOT_4_1;
	}

	/**
	 * Returns the properties that bind the gRPC server to 127.0.0.1 on a free port: an
	 * address with the port in Spring gRPC 1.0, an address and a port in Spring Boot 4.1.
	 * @return the properties, as {@code key=value}
	 */
	static String[] onLoopbackAtAFreePort() {
		return onSpringGrpc10() ? new String[] { "spring.grpc.server.address=127.0.0.1:0" }
				: new String[] { "spring.grpc.server.address=127.0.0.1", "spring.grpc.server.port=0" };
	}

	/**
	 * Returns the auto-configurations that serve gRPC with a Netty server and its health
	 * service.
	 * @return the auto-configuration classes
	 */
	static Class<?>[] serverAutoConfigurations() {
		List<Class<?>> configurations = new ArrayList<>(
				List.of(GrpcServerAutoConfiguration.class, GrpcServerHealthAutoConfiguration.class));
		if (onSpringGrpc10()) {
			configurations.add(ClassUtils.resolveClassName(SpringGrpcLine.SPRING_GRPC_FACTORY_AUTO_CONFIGURATION,
					SpringGrpcLines.class.getClassLoader()));
		}
		return configurations.toArray(Class<?>[]::new);
	}

	/**
	 * Returns the name of Spring gRPC's shutdown grace period in the line the tests do
	 * not run on.
	 * @return the property's name
	 */
	static String otherLinesGracePeriodProperty() {
		return (onSpringGrpc10() ? SpringGrpcLine.SPRING_BOOT_4_1 : SpringGrpcLine.SPRING_GRPC_1_0)
			.gracePeriodProperty();
	}

}
