package io.livesession.autoconfigure.web;

/**
 * {@link SlowClientIntegrationTests} on Jetty.
 */
class JettySlowClientIntegrationTests extends SlowClientIntegrationTests {

	@Override
	String container() {
		return Containers.JETTY;
	}

}
