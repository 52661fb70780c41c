package io.github.gracefulshutdown.e2e.scenario;

/**
 * The web stack of the sample application the pods run: the servlet stack on Tomcat or
 * the reactive stack on Reactor Netty, which stop differently.
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
	WEBFLUX("WebFlux on Netty", "sample-webflux.jar", "webflux-");

	private final String label;

	private final String jarProperty;

	private final String idPrefix;

	Stack(String label, String jarProperty, String idPrefix) {
		this.label = label;
		this.jarProperty = jarProperty;
		this.idPrefix = idPrefix;
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
