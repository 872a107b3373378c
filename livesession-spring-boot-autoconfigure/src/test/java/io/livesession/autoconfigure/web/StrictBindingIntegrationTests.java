package io.livesession.autoconfigure.web;

import java.util.List;
import java.util.Map;

import io.livesession.test.LiveTestClient;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code livesession.actions.strict-binding}: on by default, so that duplicate keys and
 * numbers that are no integers are refused with a {@code bad_request} naming the field;
 * {@code false} restores Jackson's lenient defaults.
 */
class StrictBindingIntegrationTests {

	private static final String DUPLICATE = "{\"type\":\"action\",\"action\":\"add\",\"data\":{\"value\":1,\"value\":2},\"ref\":\"d\"}";

	@Test
	void byDefaultDuplicateKeysAndCoercedIntegersAreBadRequestsNamingTheField() {
		try (ConfigurableApplicationContext context = start();
				LiveTestClient client = LiveTestClient.connect(LiveCluster.port(context), null)) {
			client.next("hello");
			for (Object value : List.of(1.5, "5", true)) {
				client.action("add", Map.of("value", value), "v");
				JsonNode error = client.next("error");
				assertThat(error.get("code").asString()).as("value %s", value).isEqualTo("bad_request");
				assertThat(error.get("message").asString()).isEqualTo("data.value: expected an integer");
			}
			client.sendText(DUPLICATE);
			assertThat(client.next("error").get("message").asString())
				.isEqualTo("Frame is not valid JSON: a field appears twice");
			client.action("add", Map.of("value", 3), "ok");
			assertThat(client.next("reply").get("data").asInt()).as("nothing counted before").isEqualTo(3);
		}
	}

	@Test
	void relaxedBindingCoercesAndTakesTheLastDuplicate() {
		try (ConfigurableApplicationContext context = start("livesession.actions.strict-binding=false");
				LiveTestClient client = LiveTestClient.connect(LiveCluster.port(context), null)) {
			client.next("hello");
			client.action("add", Map.of("value", "5"), "s");
			assertThat(client.next("reply").get("data").asInt()).isEqualTo(5);
			client.sendText(DUPLICATE);
			assertThat(client.next("reply").get("data").asInt()).isEqualTo(7);
		}
	}

	private static ConfigurableApplicationContext start(String... properties) {
		return new SpringApplicationBuilder(LiveTestApplication.class).properties("server.port=0")
			.properties(properties)
			.run();
	}

}
