package io.livesession.autoconfigure.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link RateLimitIntegrationTests} on Jetty.
 */
@TestPropertySource(properties = Containers.JETTY)
class JettyRateLimitIntegrationTests extends RateLimitIntegrationTests {

}
