package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.livesession.SessionGroups;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a {@link io.livesession.LoginMergeHandler} (the test application's carries the
 * {@code cart}), a login carries the chosen anonymous attributes into the user's group,
 * and only those.
 */
@SpringBootTest(classes = LoginTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "test.merge=true")
class LoginMergeIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Test
	void theMergeHandlerCarriesTheChosenAnonymousAttributesIntoTheUsersGroup() {
		Browser phone = new Browser(this.port);
		phone.login("bob");
		Browser browser = new Browser(this.port);
		browser.get("/login");
		try (LiveTestClient bobElsewhere = phone.connect(); LiveTestClient anonymous = browser.connect()) {
			anonymous.action("put", Map.of("cart", List.of("apple", "pear"), "theme", "dark"), "put");
			anonymous.next("reply");
			String anonymousGroup = LoginTransitionIntegrationTests.groupOf(anonymous);
			browser.login("bob");
			RevocationIntegrationTests.assertRevoked(anonymous, Duration.ofSeconds(1));
			JsonNode pushed = bobElsewhere.next("state");
			assertThat(pushed.at("/state/cart").toString()).isEqualTo("[\"apple\",\"pear\"]");
			assertThat(pushed.at("/state/theme").isMissingNode()).isTrue();
			assertThat(this.groups.get(anonymousGroup).getAttributeNode("cart")).isNotNull();
		}
		try (LiveTestClient asBob = browser.connect()) {
			JsonNode hello = asBob.getReceived().get(0);
			assertThat(hello.at("/state/cart").toString()).isEqualTo("[\"apple\",\"pear\"]");
			assertThat(hello.at("/state/theme").isMissingNode()).isTrue();
			assertThat(LoginTransitionIntegrationTests.groupOf(asBob)).isEqualTo("user:bob");
		}
	}

	@Test
	void aBrowserWithoutAnonymousStateMergesNothing() {
		Browser browser = new Browser(this.port);
		browser.login("carol");
		assertThat(this.groups.get("user:carol").getVersion()).isZero();
	}

}
