package io.livesession.autoconfigure.web;

/**
 * {@link ShutdownIntegrationTests} on Jetty.
 */
class JettyShutdownIntegrationTests extends ShutdownIntegrationTests {

	@Override
	String container() {
		return Containers.JETTY;
	}

}
