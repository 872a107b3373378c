package io.livesession.autoconfigure.web;

import org.springframework.test.context.TestPropertySource;

/**
 * {@link HttpSessionKeepAliveIntegrationTests} on Jetty.
 */
@TestPropertySource(properties = Containers.JETTY)
class JettyHttpSessionKeepAliveIntegrationTests extends HttpSessionKeepAliveIntegrationTests {

}
