package io.livesession.autoconfigure.web;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.jetty.JettyWebServer;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.test.context.TestPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProtocolIntegrationTests} on Jetty.
 */
@TestPropertySource(properties = Containers.JETTY)
class JettyProtocolIntegrationTests extends ProtocolIntegrationTests {

	@Autowired
	private WebServerApplicationContext context;

	@Test
	void theServerIsJetty() {
		assertThat(this.context.getWebServer()).isInstanceOf(JettyWebServer.class);
	}

}
