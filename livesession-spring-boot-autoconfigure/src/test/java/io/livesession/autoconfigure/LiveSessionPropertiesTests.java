package io.livesession.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for binding and validating {@link LiveSessionProperties}: renamed properties and
 * their deprecated aliases, and misconfiguration failing with the property's name.
 *
 * @author livesession
 */
class LiveSessionPropertiesTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	@Test
	void framesPerSecondBindsTheRateLimit() {
		this.contextRunner.withPropertyValues("livesession.rate-limit.frames-per-second=2.5").run((context) -> {
			LiveSessionProperties.RateLimit limit = context.getBean(LiveSessionProperties.class).getRateLimit();
			assertThat(limit.getFramesPerSecond()).isEqualTo(2.5);
		});
	}

	@Test
	@SuppressWarnings("deprecation")
	void theOldActionsPerSecondNameStillBindsTheFramesPerSecond() {
		this.contextRunner.withPropertyValues("livesession.rate-limit.actions-per-second=3.5").run((context) -> {
			LiveSessionProperties.RateLimit limit = context.getBean(LiveSessionProperties.class).getRateLimit();
			assertThat(limit.getFramesPerSecond()).isEqualTo(3.5);
			assertThat(limit.getActionsPerSecond()).isEqualTo(3.5);
		});
	}

	@Test
	void theMetadataMarksActionsPerSecondDeprecatedForFramesPerSecond() throws IOException {
		JsonNode framesPerSecond = property("livesession.rate-limit.frames-per-second");
		assertThat(framesPerSecond.path("type").asString()).isEqualTo("java.lang.Double");
		assertThat(framesPerSecond.path("defaultValue").asDouble()).isEqualTo(20);
		assertThat(framesPerSecond.path("deprecated").asBoolean()).isFalse();
		JsonNode actionsPerSecond = property("livesession.rate-limit.actions-per-second");
		assertThat(actionsPerSecond.path("deprecated").asBoolean()).isTrue();
		assertThat(actionsPerSecond.path("deprecation").path("replacement").asString())
			.isEqualTo("livesession.rate-limit.frames-per-second");
		assertThat(actionsPerSecond.path("deprecation").path("since").asString()).isEqualTo("0.1.0");
	}

	@Test
	void aShortAnonymousSecretFailsWithTheInvalidPropertyWithoutShowingIt() {
		this.contextRunner.withPropertyValues("livesession.anonymous.secret=too-short")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("livesession.anonymous.secret");
					assertThat(ex.getReason()).isEqualTo("must have at least 32 characters");
					assertThat(ex.getMessage()).doesNotContain("too-short");
				}));
	}

	@Test
	void aRedisStoreWithoutRedisFailsWithTheInvalidProperty() {
		this.contextRunner.withPropertyValues("livesession.store=redis")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("livesession.store");
					assertThat(ex.getValue()).isEqualTo("redis");
					assertThat(ex.getReason()).contains("RedisConnectionFactory", "livesession.store=memory");
				}));
	}

	@Test
	void aClientPathThatIsNoPlainPathFailsWithTheInvalidProperty() {
		this.contextRunner.withPropertyValues("livesession.client.path=js/live.js")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOfSatisfying(InvalidConfigurationPropertyValueException.class, (ex) -> {
					assertThat(ex.getName()).isEqualTo("livesession.client.path");
					assertThat(ex.getValue()).isEqualTo("js/live.js");
				}));
	}

	private static JsonNode property(String name) throws IOException {
		List<JsonNode> found = new ArrayList<>();
		JsonMapper mapper = JsonMapper.builder().build();
		for (URL url : Collections.list(LiveSessionPropertiesTests.class.getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json"))) {
			try (InputStream in = url.openStream()) {
				for (JsonNode property : mapper.readTree(in).path("properties")) {
					if (name.equals(property.path("name").asString())) {
						found.add(property);
					}
				}
			}
		}
		assertThat(found).as(name).hasSize(1);
		return found.get(0);
	}

}
