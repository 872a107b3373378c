package io.livesession.autoconfigure.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link ActionAuthorizationMatrix} on Tomcat, without {@code @EnableMethodSecurity}:
 * livesession enforces every annotation itself.
 */
@SpringBootTest(classes = { GuardedActionsApplication.class }, webEnvironment = WebEnvironment.RANDOM_PORT)
class ActionAuthorizationWithoutMethodSecurityOnTomcatTests extends ActionAuthorizationMatrix {

	@Override
	String server() {
		return "tomcat";
	}

}
