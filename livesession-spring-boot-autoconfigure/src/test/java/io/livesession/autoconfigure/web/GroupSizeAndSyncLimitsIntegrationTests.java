package io.livesession.autoconfigure.web;

import java.time.Duration;

import io.livesession.GroupTooLargeException;
import io.livesession.SessionGroup;
import io.livesession.SessionGroups;
import io.livesession.identity.AnonymousCookies;
import io.livesession.test.HttpBrowser;
import io.livesession.test.RawWebSocket;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The size of a group's state ({@code livesession.group.max-size}, 1 MiB) and the cost of
 * {@code sync} by the bytes it returns (one frame of the rate limit per 16 KiB), with the
 * shipped defaults.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.config.name=shipped-defaults")
class GroupSizeAndSyncLimitsIntegrationTests {

	private static final String CHUNK = "x".repeat(60_000);

	@LocalServerPort
	int port;

	@Autowired
	SessionGroups groups;

	@Autowired
	MeterRegistry meters;

	@Test
	void anActionThatWouldMakeTheStatePastOneMebibyteGetsTooLargeAndChangesNothing() {
		String cookie = HttpBrowser.anonymousCookie(this.port);
		String groupId = "anon:" + AnonymousCookies.deriveId(cookie);
		double before = refusals("group-size");
		try (RawWebSocket client = RawWebSocket.open(this.port, "/live",
				ConnectionLimitsIntegrationTests.cookieHeader(cookie))) {
			assertThat(client.nextJson().get("type").asString()).isEqualTo("hello");
			int accepted = 0;
			JsonNode refusal = null;
			for (int i = 0; i < 20 && refusal == null; i++) {
				client.sendText("{\"type\":\"action\",\"action\":\"put\",\"ref\":\"p" + i + "\",\"data\":{\"a" + i
						+ "\":\"" + CHUNK + "\"}}");
				JsonNode frame = client.nextJson();
				if (frame.get("type").asString().equals("error")) {
					refusal = frame;
				}
				else {
					assertThat(frame.get("type").asString()).isEqualTo("state");
					assertThat(client.nextJson().get("type").asString()).isEqualTo("reply");
					accepted++;
				}
			}
			// 17 chunks of 60,000 bytes fit in 1,048,576; the 18th does not.
			assertThat(accepted).isEqualTo(17);
			assertThat(refusal).isNotNull();
			assertThat(refusal.get("code").asString()).isEqualTo("too_large");
			assertThat(refusal.get("ref").asString()).isEqualTo("p17");
			SessionGroup group = this.groups.get(groupId);
			assertThat(group.getVersion()).isEqualTo(17);
			assertThat(group.getAttributeNames()).doesNotContain("a17");
			assertThat(refusals("group-size")).isEqualTo(before + 1);
			// A change that keeps the state within the limit still works.
			client.sendText("{\"type\":\"action\",\"action\":\"put\",\"ref\":\"small\",\"data\":{\"a0\":\"y\"}}");
			assertThat(client.nextJson().get("type").asString()).isEqualTo("state");
			assertThat(client.nextJson().get("ref").asString()).isEqualTo("small");
		}
	}

	@Test
	void theServerSideApiRefusesATooLargeChangeToo() {
		String groupId = "too-large-api";
		assertThatExceptionOfType(GroupTooLargeException.class)
			.isThrownBy(() -> this.groups.update(groupId, (state) -> {
				state.setAttribute("big", "z".repeat(1024 * 1024));
				return null;
			}))
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo("too_large"));
		assertThat(this.groups.get(groupId).getAttributeNames()).isEmpty();
	}

	@Test
	void nineHundredTwentyFiveSyncsOfALargeStateCannotMakeTheServerSendHundredsOfMegabytes() {
		String cookie = HttpBrowser.anonymousCookie(this.port);
		String groupId = "anon:" + AnonymousCookies.deriveId(cookie);
		// 400 KB of state: below the send buffer limit, 25 frames of the rate limit.
		this.groups.update(groupId, (state) -> {
			state.setAttribute("big", "s".repeat(400_000));
			return null;
		});
		double before = refusals("sync-bytes");
		try (RawWebSocket client = RawWebSocket.open(this.port, "/live",
				ConnectionLimitsIntegrationTests.cookieHeader(cookie))) {
			assertThat(client.nextJson().get("type").asString()).isEqualTo("hello");
			for (int i = 0; i < 925; i++) {
				client.sendText("{\"type\":\"sync\"}");
			}
			long stateBytes = 0;
			int fullStates = 0;
			int refused = 0;
			for (RawWebSocket.Frame frame = client.readMessage(Duration.ofSeconds(5)); frame != null
					&& frame.opcode() == RawWebSocket.TEXT; frame = client.readMessage(Duration.ofSeconds(5))) {
				String text = frame.text();
				if (text.startsWith("{\"type\":\"state\"")) {
					fullStates++;
					stateBytes += frame.payload().length;
				}
				else if (text.contains("rate_limited")) {
					refused++;
				}
			}
			// Without the charge: 925 x 400 KB = 370 MB. With it, the burst of 40 frames
			// pays for one, the refill of 20 a second for less than one more a second.
			assertThat(fullStates).isBetween(1, 4);
			assertThat(stateBytes).isLessThan(2_000_000);
			assertThat(refused).isPositive();
			assertThat(refusals("sync-bytes")).isGreaterThan(before);
		}
	}

	private double refusals(String limit) {
		return this.meters.get("livesession.refusals").tag("limit", limit).counter().count();
	}

}
