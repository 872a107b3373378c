package io.livesession.benchmarks;

import java.util.List;

import org.springframework.web.socket.server.RequestUpgradeStrategy;
import org.springframework.web.socket.server.jetty.JettyRequestUpgradeStrategy;
import org.springframework.web.socket.server.standard.StandardWebSocketUpgradeStrategy;

/**
 * The container settings shared by the three servers, so only the messaging layer
 * differs.
 *
 * @author livesession
 */
public final class BenchProperties {

	/**
	 * Auto-configurations a server without Redis leaves out.
	 */
	public static final String REDIS_EXCLUDES = "org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisReactiveAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.DataRedisRepositoriesAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisHealthContributorAutoConfiguration,"
			+ "org.springframework.boot.data.redis.autoconfigure.health.DataRedisReactiveHealthContributorAutoConfiguration,"
			+ "org.springframework.boot.session.data.redis.autoconfigure.SessionDataRedisAutoConfiguration";

	/**
	 * livesession's own auto-configurations, left out of R and S.
	 */
	public static final String LIVESESSION_EXCLUDES = "io.livesession.autoconfigure.LiveSessionAutoConfiguration,"
			+ "io.livesession.autoconfigure.actuate.LiveSessionEndpointAutoConfiguration";

	/**
	 * The system property that chooses the servlet container of a server: tomcat (the
	 * default) or jetty. Both are on the classpath; the other one's auto-configuration is
	 * left out.
	 */
	public static final String CONTAINER_PROPERTY = "livesession.bench.container";

	private BenchProperties() {
	}

	/**
	 * The upgrade strategy of R and S: what a plain Spring application gets on the
	 * container (with both containers on the classpath, spring-websocket would pick
	 * Jetty's even on Tomcat).
	 * @return the strategy
	 */
	public static RequestUpgradeStrategy upgradeStrategy() {
		return "jetty".equals(System.getProperty(CONTAINER_PROPERTY)) ? new JettyRequestUpgradeStrategy()
				: new StandardWebSocketUpgradeStrategy();
	}

	/**
	 * The auto-configuration of the servlet container not chosen.
	 * @return the class name to exclude
	 */
	public static String containerExcludes() {
		return containerExcludes(System.getProperty(CONTAINER_PROPERTY, "tomcat"));
	}

	/**
	 * The auto-configuration of the servlet container not chosen.
	 * @param container tomcat or jetty
	 * @return the class name to exclude
	 */
	public static String containerExcludes(String container) {
		return "jetty".equals(container)
				? "org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration"
				: "org.springframework.boot.jetty.autoconfigure.servlet.JettyServletWebServerAutoConfiguration";
	}

	/**
	 * Default properties of every server.
	 * @param excludes auto-configurations to leave out
	 * @return the properties
	 */
	public static String[] common(String excludes) {
		return List
			.of("server.tomcat.max-connections=60000", "server.tomcat.accept-count=2000", "spring.main.banner-mode=off",
					"logging.level.root=WARN", "spring.jmx.enabled=false",
					"management.endpoints.web.exposure.include=health,livesession",
					"spring.autoconfigure.exclude=" + excludes + "," + containerExcludes())
			.toArray(String[]::new);
	}

}
