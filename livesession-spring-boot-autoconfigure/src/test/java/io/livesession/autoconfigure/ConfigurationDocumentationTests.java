package io.livesession.autoconfigure;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/configuration.md documents every property the configuration processor found.
 */
class ConfigurationDocumentationTests {

	@Test
	void everyPropertyInTheMetadataIsInTheConfigurationDoc() throws Exception {
		JsonNode metadata;
		try (InputStream in = getClass().getResourceAsStream("/META-INF/spring-configuration-metadata.json")) {
			assertThat(in).as("generated configuration metadata").isNotNull();
			metadata = JsonMapper.builder().build().readTree(in);
		}
		List<String> names = new ArrayList<>();
		metadata.get("properties").forEach((property) -> names.add(property.get("name").asString()));
		assertThat(names).contains("livesession.endpoint", "livesession.group.timeout");
		String doc = Files.readString(Path.of("..", "docs", "configuration.md"));
		assertThat(names).allSatisfy(
				(name) -> assertThat(doc).as("docs/configuration.md mentions %s", name).contains("`" + name + "`"));
	}

}
