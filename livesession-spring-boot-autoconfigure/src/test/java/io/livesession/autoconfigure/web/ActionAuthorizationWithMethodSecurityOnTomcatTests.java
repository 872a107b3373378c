package io.livesession.autoconfigure.web;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * {@link ActionAuthorizationMatrix} on Tomcat, with {@code @EnableMethodSecurity} (all
 * four kinds): the proxy decides, livesession does not decide again.
 */
@SpringBootTest(classes = { GuardedActionsApplication.class, GuardedActionsMethodSecurity.class },
		webEnvironment = WebEnvironment.RANDOM_PORT)
class ActionAuthorizationWithMethodSecurityOnTomcatTests extends ActionAuthorizationMatrix {

	@Override
	String server() {
		return "tomcat";
	}

}
