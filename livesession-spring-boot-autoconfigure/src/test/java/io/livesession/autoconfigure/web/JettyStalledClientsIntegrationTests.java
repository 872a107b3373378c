package io.livesession.autoconfigure.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link StalledClientsIntegrationTests} on Jetty.
 */
@TestPropertySource(properties = Containers.JETTY)
class JettyStalledClientsIntegrationTests extends StalledClientsIntegrationTests {

}
