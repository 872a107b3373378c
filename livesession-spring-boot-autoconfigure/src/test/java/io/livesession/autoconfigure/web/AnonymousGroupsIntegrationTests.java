package io.livesession.autoconfigure.web;

import java.util.Map;

import io.livesession.ConnectionRegistry;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import io.livesession.test.RawHandshake;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Anonymous browsers: the cookie decides the group.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class AnonymousGroupsIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	ConnectionRegistry registry;

	@Autowired
	AnonymousCookies cookies;

	@Test
	void twoClientsWithTheSameCookieShareTheCountAndAThirdDoesNot() {
		String cookie = "LIVESESSION=" + HttpBrowser.anonymousCookie(this.port);
		try (LiveTestClient tab1 = LiveTestClient.connect(this.port, cookie);
				LiveTestClient tab2 = LiveTestClient.connect(this.port, cookie);
				LiveTestClient other = LiveTestClient.connect(this.port,
						"LIVESESSION=" + HttpBrowser.anonymousCookie(this.port))) {
			assertThat(tab1.next("hello").at("/state/counter/count").asInt()).isZero();
			tab2.next("hello");
			other.next("hello");
			tab1.action("increment", null, "a");
			assertThat(tab1.next("reply").at("/data/count").asInt()).isEqualTo(1);
			JsonNode state = tab2.next("state");
			assertThat(state.at("/state/counter/count").asInt()).isEqualTo(1);
			assertThat(state.get("version").asLong()).isEqualTo(1);
			tab2.action("increment", null, "b");
			assertThat(tab1.next("state").at("/state/counter/count").asInt()).isEqualTo(2);
			other.action("increment", null, "c");
			assertThat(other.next("reply").at("/data/count").asInt()).isEqualTo(1);
			assertThat(tab1.poll(java.time.Duration.ofMillis(300))).as("no frame from the other group").isNull();
		}
	}

	@Test
	void aClientWithoutCookieGetsOneOnTheHandshake() {
		try (LiveTestClient client = LiveTestClient.connect(this.port, null)) {
			client.next("hello");
			assertThat(this.cookies.verify(client.responseCookie("LIVESESSION"))).isTrue();
		}
	}

	@Test
	void aClientWithAMalformedCookieGetsAFreshCookieAndItsOwnGroup() {
		String malformed = "LIVESESSION=not-a-valid-cookie";
		try (LiveTestClient first = LiveTestClient.connect(this.port, malformed);
				LiveTestClient second = LiveTestClient.connect(this.port, malformed)) {
			String fresh1 = first.responseCookie("LIVESESSION");
			String fresh2 = second.responseCookie("LIVESESSION");
			assertThat(this.cookies.verify(fresh1)).isTrue();
			assertThat(fresh1).isNotEqualTo(fresh2);
			first.next("hello");
			second.next("hello");
			first.action("increment", null, "1");
			first.next("reply");
			assertThat(second.poll(java.time.Duration.ofMillis(300))).as("malformed cookies never share a group")
				.isNull();
			try (LiveTestClient again = LiveTestClient.connect(this.port, "LIVESESSION=" + fresh1)) {
				assertThat(again.next("hello").at("/state/counter/count").asInt()).isEqualTo(1);
				assertThat(again.responseCookie("LIVESESSION")).as("a valid cookie is kept").isNull();
			}
		}
	}

	@Test
	void aForgedNeverIssuedCookieGetsAFreshCookieAndAFreshGroup() {
		String issued = HttpBrowser.anonymousCookie(this.port);
		String random = AnonymousCookies.generate();
		for (String forged : new String[] { random, random + "." + "A".repeat(43), random + issued.substring(43),
				new AnonymousCookies("LIVESESSION", java.time.Duration.ofDays(1), false).issue() }) {
			try (LiveTestClient client = LiveTestClient.connect(this.port, "LIVESESSION=" + forged)) {
				String fresh = client.responseCookie("LIVESESSION");
				assertThat(fresh).as(forged).isNotNull().isNotEqualTo(forged);
				assertThat(this.cookies.verify(fresh)).isTrue();
				client.next("hello");
				client.action("whoami", null, "w");
				String groupId = client.next("reply").at("/data/groupId").asString();
				assertThat(groupId).as("the planted value chooses no group")
					.isEqualTo("anon:" + AnonymousCookies.deriveId(fresh))
					.isNotEqualTo("anon:" + AnonymousCookies.deriveId(forged));
			}
		}
	}

	@Test
	void theCookieHasTheDocumentedAttributes() {
		RawHandshake.Response response = RawHandshake.send(this.port, "/live", Map.of());
		assertThat(response.status()).isEqualTo(101);
		String cookie = response.header("set-cookie").get(0);
		assertThat(cookie).matches("LIVESESSION=[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}; .*")
			.contains("Path=/")
			.contains("Max-Age=31536000")
			.contains("HttpOnly")
			.contains("SameSite=Lax")
			.doesNotContain("Secure");
	}

	@Test
	void wrongLengthWrongAlphabetAndDuplicateCookiesAreReplaced() {
		String valid = HttpBrowser.anonymousCookie(this.port);
		for (String header : new String[] { "LIVESESSION=" + valid.substring(1), "LIVESESSION=" + valid + "A",
				"LIVESESSION=" + valid.substring(1) + "!", "LIVESESSION=" + valid + "; LIVESESSION=" + valid }) {
			RawHandshake.Response response = RawHandshake.send(this.port, "/live", Map.of("Cookie", header));
			assertThat(response.status()).isEqualTo(101);
			assertThat(response.header("set-cookie")).as(header).hasSize(1);
			assertThat(response.header("set-cookie").get(0)).doesNotContain(valid);
		}
		RawHandshake.Response kept = RawHandshake.send(this.port, "/live", Map.of("Cookie", "LIVESESSION=" + valid));
		assertThat(kept.header("set-cookie")).isEmpty();
	}

	@Test
	void anonymousConnectionsHaveNoUserAndAGroupDerivedFromTheCookie() {
		String value = HttpBrowser.anonymousCookie(this.port);
		try (LiveTestClient client = LiveTestClient.connect(this.port, "LIVESESSION=" + value)) {
			JsonNode hello = client.next("hello");
			assertThat(hello.get("userId").isNull()).isTrue();
			assertThat(hello.get("connectionId").asString()).isNotEmpty();
			client.action("whoami", null, "w");
			JsonNode reply = client.next("reply");
			assertThat(reply.at("/data/groupId").asString()).isEqualTo("anon:" + AnonymousCookies.deriveId(value))
				.doesNotContain(value);
			assertThat(this.registry.find(hello.get("connectionId").asString())).isNotNull();
		}
	}

}
