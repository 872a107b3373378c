package io.livesession.autoconfigure.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link HeartbeatIntegrationTests} on Jetty.
 */
@TestPropertySource(properties = Containers.JETTY)
class JettyHeartbeatIntegrationTests extends HeartbeatIntegrationTests {

}
