package io.livesession.autoconfigure.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link ActionAuthorizationMatrix} on Jetty, without {@code @EnableMethodSecurity}:
 * livesession enforces every annotation itself.
 */
@SpringBootTest(classes = GuardedActionsApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = ActionAuthorizationMatrix.ON_JETTY)
class ActionAuthorizationWithoutMethodSecurityOnJettyTests extends ActionAuthorizationMatrix {

	@Override
	String server() {
		return "jetty";
	}

}
