package io.livesession.autoconfigure.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link HeartbeatDefaultsIntegrationTests} on Jetty.
 */
@TestPropertySource(properties = Containers.JETTY)
class JettyHeartbeatDefaultsIntegrationTests extends HeartbeatDefaultsIntegrationTests {

}
