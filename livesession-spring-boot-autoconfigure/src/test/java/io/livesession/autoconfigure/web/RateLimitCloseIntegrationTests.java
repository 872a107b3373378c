package io.livesession.autoconfigure.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import io.livesession.identity.AnonymousCookies;
import io.livesession.test.LiveTestClient;
import jakarta.websocket.CloseReason;
import org.junit.jupiter.api.RepeatedTest;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connection closed by the rate limiter, with the shipped defaults (bursts of 40,
 * closed at the 100th refused frame): the close is orderly, so the client receives the
 * answer to every frame processed before it, in the order they were sent, and then 1008.
 */
@SpringBootTest(classes = LiveTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT)
class RateLimitCloseIntegrationTests {

	private static final int MAX_REJECTIONS = 100;

	private static final int BURST = 40;

	private static final JsonMapper MAPPER = JsonMapper.builder().build();

	@LocalServerPort
	int port;

	/**
	 * Whether the container closes the TCP connection as soon as it has sent a close
	 * frame with an error code (any but 1000, 1005 and 3000 or more), without waiting for
	 * the client's close: a client still sending then gets a reset, which can destroy the
	 * frames it had not read yet, the close frame included, and it sees 1006.
	 * @return {@code true} for such a container
	 */
	protected boolean hardClosesAfterAnErrorCloseCode() {
		return false;
	}

	@RepeatedTest(50)
	void aConnectionClosedByTheRateLimiterReceivesItsRepliesAndRateLimitedErrorsInOrderAndThen1008() {
		try (LiveTestClient client = LiveTestClient.connect(this.port, "LIVESESSION=" + AnonymousCookies.generate())) {
			client.next("hello");
			for (int i = 0; i < BURST + MAX_REJECTIONS + 20 && !client.isClosed(); i++) {
				try {
					client.action("echo", i, "r" + i);
				}
				catch (RuntimeException ex) {
					// Closed by the server meanwhile.
					break;
				}
			}
			CloseReason reason = client.awaitClose(Duration.ofSeconds(10));
			List<JsonNode> answers = new ArrayList<>();
			Object frame;
			while ((frame = client.poll(Duration.ofMillis(200))) != null) {
				JsonNode answer = MAPPER.readTree((String) frame);
				if (answer.has("ref")) {
					answers.add(answer);
				}
			}
			List<Integer> refs = answers.stream()
				.map((answer) -> Integer.parseInt(answer.get("ref").asString().substring(1)))
				.toList();
			assertThat(refs).as("every frame processed before the close is answered, in order")
				.containsExactlyElementsOf(IntStream.range(0, refs.size()).boxed().toList());
			if (reason.getCloseCode().getCode() == 1006 && hardClosesAfterAnErrorCloseCode()) {
				// The close frame and the answers behind it were sent, then destroyed by
				// the container's reset before this client read them: what did arrive is
				// in order (above), the rest is the container's to fix.
				return;
			}
			assertThat(reason.getCloseCode().getCode()).isEqualTo(1008);
			assertThat(reason.getReasonPhrase()).isEqualTo("rate_limited");
			long replies = answers.stream().filter((answer) -> answer.get("type").asString().equals("reply")).count();
			List<JsonNode> errors = answers.stream()
				.filter((answer) -> answer.get("type").asString().equals("error"))
				.toList();
			assertThat(replies).as("the burst is served").isGreaterThanOrEqualTo(BURST);
			// The refusal that reaches the limit closes the connection; whether it is
			// also answered is the endpoint's choice. Tokens refilled meanwhile may
			// serve a few frames between the refusals.
			assertThat(errors).hasSizeBetween(MAX_REJECTIONS - 1, MAX_REJECTIONS)
				.allSatisfy((error) -> assertThat(error.get("code").asString()).isEqualTo("rate_limited"));
		}
	}

}
