package io.github.gracefulshutdown.e2e.scenario;

import java.util.Arrays;
import java.util.List;

/**
 * The stack of the sample application the pods run: the servlet stack on Tomcat or the
 * reactive stack on Reactor Netty, which stop differently, or a gRPC service on
 * grpc-java's Netty server.
 */
public enum Stack {

	/**
	 * The Spring MVC sample on Tomcat. Its scenarios came first and keep their ids
	 * without a prefix, so the charts already published keep their names.
	 */
	SPRING_MVC("MVC on Tomcat", "sample.jar", ""),

	/**
	 * The WebFlux sample on Reactor Netty.
	 */
	WEBFLUX("WebFlux on Netty", "sample-webflux.jar", "webflux-"),

	/**
	 * The gRPC sample: Spring gRPC's Netty server, with Spring MVC on Tomcat beside it
	 * for the actuator. Its load is gRPC calls from a client that balances between the
	 * pods itself.
	 */
	GRPC("gRPC on Netty", "sample-grpc.jar", "grpc-");

	private final String label;

	private final String jarProperty;

	private final String idPrefix;

	Stack(String label, String jarProperty, String idPrefix) {
		this.label = label;
		this.jarProperty = jarProperty;
		this.idPrefix = idPrefix;
	}

	/**
	 * Returns the stacks whose load is HTTP requests, which every routing can carry.
	 * @return the HTTP stacks, in order
	 */
	public static List<Stack> httpStacks() {
		return Arrays.stream(values()).filter((stack) -> !stack.servesGrpc()).toList();
	}

	/**
	 * Returns whether the pods' load is gRPC calls rather than HTTP requests.
	 * @return {@code true} for the gRPC sample
	 */
	public boolean servesGrpc() {
		return this == GRPC;
	}

	/**
	 * Returns a short label for tables and charts.
	 * @return the label
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Returns the system property that holds the path of the sample's executable jar, as
	 * the build sets it.
	 * @return the name of the system property
	 */
	public String jarProperty() {
		return this.jarProperty;
	}

	/**
	 * Returns what the ids of this stack's scenarios start with.
	 * @return the prefix, empty for Spring MVC
	 */
	public String idPrefix() {
		return this.idPrefix;
	}

}
