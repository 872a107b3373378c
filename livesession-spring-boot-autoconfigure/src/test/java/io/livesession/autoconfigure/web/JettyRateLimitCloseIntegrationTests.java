package io.livesession.autoconfigure.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link RateLimitCloseIntegrationTests} on Jetty.
 */
@TestPropertySource(properties = Containers.JETTY)
class JettyRateLimitCloseIntegrationTests extends RateLimitCloseIntegrationTests {

}
