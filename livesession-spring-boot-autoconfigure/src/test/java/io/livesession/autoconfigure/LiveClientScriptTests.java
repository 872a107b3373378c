package io.livesession.autoconfigure;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.handler.SimpleUrlHandlerMapping;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link LiveClientScript} and its auto-configuration.
 *
 * @author livesession
 */
class LiveClientScriptTests {

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(JacksonAutoConfiguration.class, LiveSessionAutoConfiguration.class));

	@Test
	void theVersionIsTheStarterVersionAndADigestOfTheScript() {
		byte[] script = "export function connect() {}".getBytes(StandardCharsets.UTF_8);
		String version = LiveClientScript.version("1.2.3", script);
		assertThat(version).matches("1\\.2\\.3-[0-9a-f]{12}");
		assertThat(LiveClientScript.version(null, script)).isEqualTo(version.substring("1.2.3-".length()));
		assertThat(LiveClientScript.version("1.2.3", "export function connect() { }".getBytes(StandardCharsets.UTF_8)))
			.as("another script, another version")
			.isNotEqualTo(version);
	}

	@Test
	void theDeclarationsAreServedNextToTheScript() {
		LiveClientScript client = new LiveClientScript("/livesession/livesession.js");
		assertThat(client.getTypesPath()).isEqualTo("/livesession/livesession.d.ts");
		assertThat(client.getVersionedPath()).isEqualTo("/livesession/livesession.js?v=" + client.getVersion());
		assertThat(new String(client.script(), StandardCharsets.UTF_8)).contains("export function connect");
		assertThat(new String(client.types(), StandardCharsets.UTF_8)).contains("export declare function connect");
		assertThat(new LiveClientScript("/live/client").getTypesPath()).isEqualTo("/live/client.d.ts");
	}

	@Test
	void aPathThatIsNoPlainPathIsRefused() {
		for (String path : new String[] { "livesession.js", "/js/*.js", "/js/**", "/a.js?v=1", "/a.js#x", "/{name}.js",
				"/a b.js", "" }) {
			assertThatExceptionOfType(InvalidConfigurationPropertyValueException.class).as(path)
				.isThrownBy(() -> new LiveClientScript(path))
				.withMessageContaining("livesession.client.path");
		}
	}

	@Test
	void servesTheClientAtTheDefaultPath() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasSingleBean(LiveClientScript.class).hasBean("liveClientHandlerMapping");
			assertThat(context.getBean(LiveClientScript.class).getPath()).isEqualTo("/livesession/livesession.js");
			assertThat(context.getBean(LiveSessionProperties.class).getClient().getPath())
				.isEqualTo("/livesession/livesession.js");
			SimpleUrlHandlerMapping mapping = context.getBean("liveClientHandlerMapping",
					SimpleUrlHandlerMapping.class);
			assertThat(mapping.getUrlMap()).containsOnlyKeys("/livesession/livesession.js",
					"/livesession/livesession.d.ts");
			assertThat(mapping.getUrlMap().values()).allMatch(LiveClientScriptHandler.class::isInstance);
		});
	}

	@Test
	void servesTheClientAtTheConfiguredPath() {
		this.contextRunner.withPropertyValues("livesession.client.path=/static/js/live.mjs").run((context) -> {
			assertThat(context.getBean(LiveSessionProperties.class).getClient().getPath())
				.isEqualTo("/static/js/live.mjs");
			assertThat(context.getBean("liveClientHandlerMapping", SimpleUrlHandlerMapping.class).getUrlMap())
				.containsOnlyKeys("/static/js/live.mjs", "/static/js/live.mjs.d.ts");
		});
	}

	@Test
	void aBadPathFailsTheStartupWithTheReason() {
		this.contextRunner.withPropertyValues("livesession.client.path=js/live.js")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("livesession.client.path")
				.hasMessageContaining("must start with '/'"));
	}

	@Test
	void backsOffWhenUserDefinesLiveClientScript() {
		this.contextRunner.withUserConfiguration(CustomClient.class).run((context) -> {
			assertThat(context).hasSingleBean(LiveClientScript.class);
			assertThat(context.getBean("liveClientHandlerMapping", SimpleUrlHandlerMapping.class).getUrlMap())
				.containsOnlyKeys("/custom/live.js", "/custom/live.d.ts");
		});
	}

	@Test
	void backsOffWhenUserDefinesABeanNamedLiveClientHandlerMapping() {
		this.contextRunner.withUserConfiguration(CustomMapping.class).run((context) -> {
			assertThat(context.getBean("liveClientHandlerMapping", SimpleUrlHandlerMapping.class).getUrlMap())
				.isEmpty();
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class CustomClient {

		@Bean
		LiveClientScript customClient() {
			return new LiveClientScript("/custom/live.js");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class CustomMapping {

		@Bean
		SimpleUrlHandlerMapping liveClientHandlerMapping() {
			return new SimpleUrlHandlerMapping();
		}

	}

}
