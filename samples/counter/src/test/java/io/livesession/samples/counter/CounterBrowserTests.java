package io.livesession.samples.counter;

import java.time.Duration;

import io.livesession.test.browser.Browser;
import io.livesession.test.browser.HeadlessChromium;
import io.livesession.test.browser.Tab;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The counter page in real headless Chromium: tabs of one browser share the count,
 * another browser has its own, a reload keeps it, and the page reconnects by itself after
 * the server restarts.
 */
@Tag(HeadlessChromium.TAG)
class CounterBrowserTests {

	private static final Duration RESTART_TIMEOUT = Duration.ofSeconds(45);

	private static ConfigurableApplicationContext app;

	private static int port;

	@BeforeAll
	static void startApp() {
		app = start(0);
		port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@AfterAll
	static void stopApp() {
		if (app != null) {
			app.close();
		}
	}

	private static ConfigurableApplicationContext start(int port) {
		return new SpringApplicationBuilder(CounterApplication.class).run("--server.port=" + port,
				"--spring.main.banner-mode=off");
	}

	private static Tab openCounter(Browser browser) {
		return browser.open("http://localhost:" + port + "/").awaitAttribute("status", "data-status", "open");
	}

	@Test
	void twoTabsOfOneBrowserShareTheCountInBothDirections() {
		try (Browser browser = HeadlessChromium.launch()) {
			Tab first = openCounter(browser).awaitText("count", "0");
			Tab second = openCounter(browser).awaitText("count", "0");
			first.click("increment");
			second.awaitText("count", "1");
			first.awaitText("count", "1");
			second.click("increment").click("increment");
			first.awaitText("count", "3");
			second.awaitText("count", "3");
			first.click("decrement");
			second.awaitText("count", "2");
			second.click("reset");
			first.awaitText("count", "0");
			first.click("increment").click("increment").click("increment").click("increment");
			second.awaitText("count", "4");
			first.awaitText("count", "4").awaitText("status-text", "Connected");
			first.screenshot("counter");
			second.screenshot("counter-second-tab");
		}
	}

	@Test
	void aSecondBrowserHasItsOwnCount() {
		try (Browser one = HeadlessChromium.launch(); Browser other = HeadlessChromium.launch()) {
			Tab mine = openCounter(one).awaitText("count", "0");
			mine.click("increment").click("increment").awaitText("count", "2");
			Tab theirs = openCounter(other).awaitText("count", "0");
			theirs.click("increment").awaitText("count", "1");
			// Had the other browser's click reached this group, these would read 4 and 3.
			mine.click("increment").awaitText("count", "3");
			theirs.click("increment").awaitText("count", "2");
			theirs.screenshot("counter-other-browser");
		}
	}

	@Test
	void reloadKeepsTheCount() {
		try (Browser browser = HeadlessChromium.launch()) {
			Tab tab = openCounter(browser).awaitText("count", "0");
			tab.click("increment").click("increment").click("increment").awaitText("count", "3");
			tab.reload().awaitAttribute("status", "data-status", "open").awaitText("count", "3");
			tab.click("decrement").awaitText("count", "2");
		}
	}

	@Test
	void afterTheServerRestartsThePageReconnectsByItself() {
		// A server of its own, so that the other tests never meet a stopped one.
		ConfigurableApplicationContext server = start(0);
		int serverPort = server.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
		try (Browser browser = HeadlessChromium.launch()) {
			Tab tab = browser.open("http://localhost:" + serverPort + "/")
				.awaitAttribute("status", "data-status", "open")
				.awaitText("count", "0");
			tab.click("increment").click("increment").awaitText("count", "2");
			// Gone after a reload: shows that the page below is the same page.
			tab.script("window.sameDocument = true");
			server.close();
			tab.awaitAttribute("status", "data-status", "reconnecting")
				.awaitText("status-text", "Connection lost, reconnecting…");
			assertThat(tab.element("increment").isEnabled()).as("buttons are off while disconnected").isFalse();
			tab.screenshot("counter-reconnecting");
			server = start(serverPort);
			// In memory, the restarted server starts the group afresh.
			tab.awaitAttribute("status", "data-status", "open", RESTART_TIMEOUT).awaitText("count", "0");
			assertThat(tab.script("return window.sameDocument === true")).as("reconnected without a reload")
				.isEqualTo(true);
			tab.click("increment").awaitText("count", "1");
			tab.awaitText("status-text", "Connected");
		}
		finally {
			server.close();
		}
	}

}
