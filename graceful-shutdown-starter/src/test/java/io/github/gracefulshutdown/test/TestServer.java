package io.github.gracefulshutdown.test;

/**
 * The embedded web servers the starter supports, with the properties that select each.
 */
public enum TestServer {

	/**
	 * Embedded Tomcat.
	 */
	TOMCAT("spring.autoconfigure.exclude="
			+ "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration,"
			+ "org.springframework.boot.jetty.autoconfigure.actuate.web.server.JettyServletManagementContextAutoConfiguration"),

	/**
	 * Embedded Jetty.
	 */
	JETTY("spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration,"
			+ "org.springframework.boot.tomcat.autoconfigure.actuate.web.server.TomcatServletManagementContextAutoConfiguration");

	private final String selection;

	TestServer(String selection) {
		this.selection = selection;
	}

	/**
	 * Returns the property that makes Spring Boot start this server.
	 * @return the selecting property, as {@code key=value}
	 */
	public String selection() {
		return this.selection;
	}

}
