package io.livesession.samples.counter;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.livesession.test.browser.Browser;
import io.livesession.test.browser.HeadlessChromium;
import io.livesession.test.browser.Tab;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/getting-started.md shows this sample's code: every snippet marked with its source
 * file is found in that file, and the guide's page works in a real browser. That the
 * guide's files, as shown, build a working Tomcat and Jetty application is tested by the
 * getting-started sample's GettingStartedWalkThroughTests; that every Java snippet of the
 * docs compiles, by the autoconfigure module's DocumentationSnippetsTests.
 */
class GettingStartedGuideTests {

	private static final Path ROOT = Path.of("..", "..");

	private static final Pattern SNIPPET = Pattern.compile("<!-- snippet: (\\S+) -->\\s*```\\w*\\n(.*?)```",
			Pattern.DOTALL);

	@Test
	void everySnippetOfTheGuideIsInItsSourceFile() throws Exception {
		String guide = Files.readString(ROOT.resolve("docs/getting-started.md"));
		Matcher matcher = SNIPPET.matcher(guide);
		int snippets = 0;
		while (matcher.find()) {
			String source = Files.readString(ROOT.resolve(matcher.group(1)));
			assertThat(squeeze(source)).as("%s contains the guide's snippet", matcher.group(1))
				.contains(squeeze(matcher.group(2)));
			snippets++;
		}
		assertThat(snippets).as("snippets in the guide").isGreaterThanOrEqualTo(5);
	}

	/**
	 * The code without comments, package declaration and white space: the guide shows the
	 * sample's files in the package a new application would use, without their Javadoc.
	 */
	private static String squeeze(String code) {
		return code.replaceAll("(?s)/\\*.*?\\*/", "")
			.replaceAll("(?m)^\\s*//.*$", "")
			.replaceAll("(?m)^\\s*package\\s+[\\w.]+;", "")
			.replaceAll("\\s+", "");
	}

	@Test
	@Tag(HeadlessChromium.TAG)
	void twoTabsOfTheGuidesPageShareTheCount() {
		try (ConfigurableApplicationContext app = new SpringApplicationBuilder(CounterApplication.class)
			.run("--server.port=0", "--spring.main.banner-mode=off"); Browser browser = HeadlessChromium.launch()) {
			int port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
			String page = "http://localhost:" + port + "/minimal.html";
			Tab first = browser.open(page).awaitText("status", "open").awaitText("count", "0");
			Tab second = browser.open(page).awaitText("status", "open").awaitText("count", "0");
			first.click("increment");
			second.awaitText("count", "1");
			second.click("increment");
			first.awaitText("count", "2");
			second.click("reset");
			first.awaitText("count", "0");
		}
	}

}
