package io.livesession.autoconfigure.web;

import java.time.Duration;

import io.livesession.SessionGroups;
import io.livesession.group.GroupStore;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sliding group TTL: groups without connections expire and are removed, groups with an
 * open connection never do.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "livesession.group.timeout=1s", "livesession.group.cleanup-interval=100ms" })
class GroupExpiryIntegrationTests {

	@LocalServerPort
	int port;

	@Autowired
	GroupStore store;

	@Autowired
	SessionGroups groups;

	@Test
	void aGroupWithoutConnectionsIsGoneAfterTheTimeoutAndOneWithAConnectionIsNot() throws Exception {
		String idle = HttpBrowser.anonymousCookie(this.port);
		String busy = HttpBrowser.anonymousCookie(this.port);
		String idleGroup = "anon:" + AnonymousCookies.deriveId(idle);
		String busyGroup = "anon:" + AnonymousCookies.deriveId(busy);
		try (LiveTestClient kept = LiveTestClient.connect(this.port, "LIVESESSION=" + busy)) {
			kept.next("hello");
			kept.action("increment", null, "k");
			kept.next("reply");
			try (LiveTestClient leaving = LiveTestClient.connect(this.port, "LIVESESSION=" + idle)) {
				leaving.next("hello");
				leaving.action("increment", null, "l");
				leaving.next("reply");
			}
			assertThat(this.store.find(idleGroup)).isNotNull();
			Thread.sleep(Duration.ofMillis(2500).toMillis());
			assertThat(this.store.find(idleGroup)).as("expired and removed").isNull();
			assertThat(this.groups.get(idleGroup).getVersion()).isZero();
			assertThat(this.store.find(busyGroup)).as("kept alive by its open connection").isNotNull();
			assertThat(this.groups.get(busyGroup).getVersion()).isEqualTo(1);
			kept.action("increment", null, "k2");
			assertThat(kept.next("reply").at("/data/count").asInt()).isEqualTo(2);
		}
	}

}
