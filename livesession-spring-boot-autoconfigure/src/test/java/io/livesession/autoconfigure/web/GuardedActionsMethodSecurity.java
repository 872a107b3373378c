package io.livesession.autoconfigure.web;

import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * Method security for all four kinds of annotation, added to
 * {@link GuardedActionsApplication} by the test classes that want it (a nested class
 * would be picked up by every one of them).
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity(securedEnabled = true, jsr250Enabled = true)
class GuardedActionsMethodSecurity {

}
