package io.github.gracefulshutdown.grpc;

import org.jspecify.annotations.Nullable;

import org.springframework.util.ClassUtils;

/**
 * The line of Spring gRPC server auto-configuration an application runs on, told apart by
 * the classes on its classpath: Spring gRPC 1.0's own module on Spring Boot 4.0, or
 * Spring Boot's {@code spring-boot-grpc-server} module from Spring Boot 4.1 on. Both keep
 * their auto-configuration in the same package and share some class names (the server and
 * health auto-configurations), so the starter orders itself by those; they differ in
 * where the server factory is configured and in the names of their properties.
 */
enum SpringGrpcLine {

	/**
	 * Spring gRPC 1.0.x: {@code spring-grpc-server-spring-boot-autoconfigure}, for Spring
	 * Boot 4.0.
	 */
	SPRING_GRPC_1_0(SpringGrpcLine.SPRING_GRPC_FACTORY_AUTO_CONFIGURATION, "spring.grpc.server.shutdown-grace-period"),

	/**
	 * Spring Boot 4.1 and later: {@code spring-boot-grpc-server}, with Spring gRPC's
	 * core.
	 */
	SPRING_BOOT_4_1(SpringGrpcLine.SERVER_AUTO_CONFIGURATION, "spring.grpc.server.shutdown.grace-period");

	/**
	 * Spring gRPC 1.0's auto-configuration of the server factory, which Spring Boot 4.1
	 * folded into its {@code GrpcServerAutoConfiguration}.
	 */
	static final String SPRING_GRPC_FACTORY_AUTO_CONFIGURATION = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerFactoryAutoConfiguration";

	/**
	 * The server auto-configuration, under the same name in both lines.
	 */
	private static final String SERVER_AUTO_CONFIGURATION = "org.springframework.boot.grpc.server.autoconfigure.GrpcServerAutoConfiguration";

	private final String markerClass;

	private final String gracePeriodProperty;

	SpringGrpcLine(String markerClass, String gracePeriodProperty) {
		this.markerClass = markerClass;
		this.gracePeriodProperty = gracePeriodProperty;
	}

	/**
	 * Returns the property that limits how long the gRPC server waits for its calls when
	 * it stops, in seconds when no unit is given.
	 * @return the property's name
	 */
	String gracePeriodProperty() {
		return this.gracePeriodProperty;
	}

	/**
	 * Returns the line on the classpath. Spring gRPC 1.0's is looked for first: only it
	 * has an auto-configuration of the server factory of its own.
	 * @param classLoader the application's class loader
	 * @return the line, or {@code null} when neither auto-configures a gRPC server (the
	 * application configures its server itself)
	 */
	static @Nullable SpringGrpcLine of(@Nullable ClassLoader classLoader) {
		for (SpringGrpcLine line : values()) {
			if (ClassUtils.isPresent(line.markerClass, classLoader)) {
				return line;
			}
		}
		return null;
	}

}
