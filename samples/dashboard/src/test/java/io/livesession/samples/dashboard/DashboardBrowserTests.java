package io.livesession.samples.dashboard;

import java.time.Duration;
import java.util.List;

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
 * The dashboard page in real headless Chromium, each user in a browser of their own
 * logged in through the form login page: the admin's announcement, typed into the page's
 * form, shows on everyone's page; alice's attempt shows a visible {@code forbidden} error
 * and reaches nobody.
 */
@Tag(HeadlessChromium.TAG)
class DashboardBrowserTests {

	/**
	 * Longer than the online job's period (1 s): enough for a frame that must not come.
	 */
	private static final Duration QUIET = Duration.ofMillis(1500);

	private static ConfigurableApplicationContext app;

	private static int port;

	@BeforeAll
	static void startApp() {
		app = new SpringApplicationBuilder(DashboardApplication.class).run("--server.port=0",
				"--spring.main.banner-mode=off");
		port = app.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
	}

	@AfterAll
	static void stopApp() {
		if (app != null) {
			app.close();
		}
	}

	/**
	 * Logs in on the login page and waits for the dashboard to be connected.
	 */
	private static Tab login(Browser browser, String user) {
		return browser.open("http://localhost:" + port + "/login")
			.login(user, "password")
			.awaitAttribute("status", "data-status", "open")
			.awaitText("who", user);
	}

	private static Tab announce(Tab tab, String message) {
		return tab.type("message", message).click("announce");
	}

	@Test
	void theAdminsAnnouncementTypedInThePageShowsOnAlicesAndBobsPages() {
		try (Browser adminsBrowser = HeadlessChromium.launch();
				Browser alicesBrowser = HeadlessChromium.launch();
				Browser bobsBrowser = HeadlessChromium.launch()) {
			Tab admin = login(adminsBrowser, "admin");
			Tab alice = login(alicesBrowser, "alice");
			Tab bob = login(bobsBrowser, "bob");
			assertThat(alice.items("announcements")).as("alice's announcements before").isEmpty();
			assertThat(bob.items("announcements")).as("bob's announcements before").isEmpty();
			// The admin's page shows the presence counts: three users, one tab each.
			admin.awaitText("users", "3").awaitText("connections", "3");

			announce(admin, "Maintenance tonight at 22:00");

			for (Tab tab : List.of(alice, bob, admin)) {
				tab.awaitItem("announcements", "admin: Maintenance tonight at 22:00");
			}
			admin.await("the announcement input once sent", (tab) -> tab.property("message", "value"), "",
					Tab.DEFAULT_TIMEOUT);
			assertThat(admin.text("error")).as("the admin's error line").isEmpty();
			announce(admin, "Back online at 22:30");
			for (Tab tab : List.of(alice, bob)) {
				tab.awaitItem("announcements", "admin: Back online at 22:30");
				assertThat(tab.items("announcements")).as("newest first, each once")
					.containsExactly("admin: Back online at 22:30", "admin: Maintenance tonight at 22:00");
			}
			// The presence counts go to admins only: alice's page never gets them.
			alice.holds("alice's online counts", (tab) -> List.of(tab.text("users"), tab.text("connections")),
					List.of("?", "?"), QUIET);
			admin.awaitText("status", "Connected");
			admin.screenshot("dashboard");
			alice.screenshot("dashboard-alice");
			bob.screenshot("dashboard-bob");
		}
	}

	@Test
	void alicesAttemptToAnnounceShowsForbiddenOnHerPageAndReachesNobody() {
		try (Browser alicesBrowser = HeadlessChromium.launch(); Browser bobsBrowser = HeadlessChromium.launch()) {
			Tab alice = login(alicesBrowser, "alice");
			Tab bob = login(bobsBrowser, "bob");

			announce(alice, "Free pizza in the kitchen");

			alice.await("whether alice's error line says forbidden", (tab) -> tab.text("error").startsWith("forbidden"),
					true, Tab.DEFAULT_TIMEOUT);
			assertThat(alice.element("error").isDisplayed()).as("the error is visible").isTrue();
			// Nothing was broadcast, and an error leaves the connection open.
			bob.holds("bob's announcements", (tab) -> tab.items("announcements"), List.of(), QUIET);
			assertThat(alice.items("announcements")).as("alice's announcements").isEmpty();
			alice.awaitAttribute("status", "data-status", "open");
			alice.screenshot("dashboard-forbidden");
		}
	}

}
