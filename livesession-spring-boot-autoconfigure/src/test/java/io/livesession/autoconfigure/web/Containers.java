package io.livesession.autoconfigure.web;

/**
 * Chooses the servlet container of a test: both Tomcat and Jetty are on the test
 * classpath, and application.properties excludes Jetty's auto-configuration.
 */
final class Containers {

	/** Tomcat, the default. */
	static final String TOMCAT = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration";

	/** Jetty. */
	static final String JETTY = "spring.autoconfigure.exclude="
			+ "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration";

	private Containers() {
	}

}
