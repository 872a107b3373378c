package io.livesession.samples.chat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.livesession.BroadcastTarget;
import io.livesession.Broadcaster;
import io.livesession.ConnectionRegistry;
import io.livesession.LiveConnection;
import io.livesession.Topics;
import io.livesession.test.browser.Browser;
import io.livesession.test.browser.HeadlessChromium;
import io.livesession.test.browser.Tab;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat page in real headless Chromium, logged in through the form login page: each
 * {@link Browser} is a separate browser with its own cookies, so its own HTTP session.
 * alice's messages reach every browser of hers and never bob's; logging out in one tab
 * revokes the other tabs of that session, which show it and stay disconnected; in rooms
 * (topics) the users of one room see each other's messages and each other, the users of
 * another room nothing of it.
 */
@Tag(HeadlessChromium.TAG)
class ChatBrowserTests {

	private static final Duration REVOCATION_TIMEOUT = Duration.ofSeconds(2);

	private static final Duration STAYS_REVOKED = Duration.ofSeconds(3);

	private static final Duration HANDOVER = Duration.ofSeconds(5);

	private static ConfigurableApplicationContext app;

	private static int port;

	@BeforeAll
	static void startApp() {
		app = new SpringApplicationBuilder(ChatApplication.class, HandshakeCounter.class).run("--server.port=0",
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
	 * Logs in on the login page and waits for the chat page to be connected.
	 */
	private static Tab login(Browser browser, String user) {
		return browser.open("http://localhost:" + port + "/login")
			.login(user, "password")
			.awaitAttribute("status", "data-status", "open")
			.awaitText("who", user);
	}

	/**
	 * Another tab of the same browser (same cookies, same HTTP session) on the chat page.
	 */
	private static Tab openChat(Browser browser, String user) {
		return browser.open("http://localhost:" + port + "/")
			.awaitAttribute("status", "data-status", "open")
			.awaitText("who", user);
	}

	private static Tab send(Tab tab, String text) {
		return tab.type("text", text).click("send");
	}

	/**
	 * Enters a room with the page's room selector and waits until the subscription is
	 * answered.
	 */
	private static Tab enterRoom(Tab tab, String room) {
		tab.element("room-name").clear();
		return tab.type("room-name", room)
			.click("join-room")
			.awaitAttribute("room", "data-joined", room)
			.awaitText("room-title", room);
	}

	private static Tab say(Tab tab, String text) {
		return tab.type("say-text", text).click("say");
	}

	private static void awaitMembers(Tab tab, String... users) {
		tab.await("the room's members", (t) -> t.items("room-members"), List.of(users), Tab.DEFAULT_TIMEOUT);
	}

	private static List<LiveConnection> connectionsOfSession(String httpSessionId) {
		return app.getBean(ConnectionRegistry.class)
			.findAll()
			.stream()
			.filter((connection) -> httpSessionId.equals(connection.getHttpSessionId()))
			.toList();
	}

	@Test
	void aliceSeesHerMessagesInBothOfHerBrowsersAndBobNeverSeesThem() {
		try (Browser laptop = HeadlessChromium.launch();
				Browser phone = HeadlessChromium.launch();
				Browser bobsBrowser = HeadlessChromium.launch()) {
			Tab onLaptop = login(laptop, "alice");
			Tab onPhone = login(phone, "alice");
			Tab bob = login(bobsBrowser, "bob");
			assertThat(laptop.cookie("JSESSIONID")).as("two browsers, two HTTP sessions")
				.isNotNull()
				.isNotEqualTo(phone.cookie("JSESSIONID"));
			send(onLaptop, "Hello from the laptop");
			onPhone.awaitItem("messages", "alice: Hello from the laptop");
			onLaptop.awaitItem("messages", "alice: Hello from the laptop");
			onLaptop.await("the input once sent", (tab) -> tab.property("text", "value"), "", Tab.DEFAULT_TIMEOUT);
			send(onPhone, "And hello from the phone");
			onLaptop.awaitItem("messages", "alice: And hello from the phone");
			onPhone.awaitItem("messages", "alice: And hello from the phone");
			send(bob, "Bob here");
			bob.awaitItem("messages", "bob: Bob here");
			// bob's own message came back to him after alice's two were delivered to her:
			// had they reached his page, they would be listed here too.
			assertThat(bob.items("messages")).as("bob's page").containsExactly("bob: Bob here");
			// A fresh page gets bob's whole group state in its hello: still only his.
			Tab bobsSecondTab = openChat(bobsBrowser, "bob").awaitItem("messages", "bob: Bob here");
			assertThat(bobsSecondTab.items("messages")).as("bob's group state").containsExactly("bob: Bob here");
			assertThat(onLaptop.items("messages")).as("alice's page").doesNotContain("bob: Bob here");
			assertThat(onPhone.items("messages")).as("alice's other browser").doesNotContain("bob: Bob here");
			onLaptop.awaitText("status", "Connected");
			onLaptop.screenshot("chat");
			onPhone.screenshot("chat-alice-other-browser");
			bob.screenshot("chat-bob");
		}
	}

	@Test
	void logoutInOneTabRevokesTheOtherTabsOfThatSessionWhichStayRevoked() {
		HandshakeCounter handshakes = app.getBean(HandshakeCounter.class);
		try (Browser laptop = HeadlessChromium.launch(); Browser phone = HeadlessChromium.launch()) {
			Tab first = login(laptop, "alice");
			Tab second = openChat(laptop, "alice");
			Tab third = openChat(laptop, "alice");
			Tab onPhone = login(phone, "alice");
			String laptopSession = laptop.cookie("JSESSIONID");
			String phoneSession = phone.cookie("JSESSIONID");
			assertThat(laptopSession).isNotNull().isNotEqualTo(phoneSession);
			assertThat(connectionsOfSession(laptopSession)).as("the laptop's connections").hasSize(3);
			// The static page fetches its CSRF token for the logout form.
			first.await("whether the logout form has its CSRF token", (tab) -> {
				String token = tab.property("csrf", "value");
				return token != null && !token.isEmpty();
			}, true, Tab.DEFAULT_TIMEOUT);

			first.click("logout");

			for (Tab tab : List.of(second, third)) {
				tab.awaitAttribute("status", "data-status", "revoked", REVOCATION_TIMEOUT);
				assertThat(tab.text("status")).startsWith("revoked");
				assertThat(tab.element("send").isEnabled()).as("send is off once revoked").isFalse();
			}
			first.await("the page after logout", (tab) -> tab.driver().getCurrentUrl(),
					"http://localhost:" + port + "/login?logout", Tab.DEFAULT_TIMEOUT);
			first.await("the laptop's connections", (tab) -> connectionsOfSession(laptopSession).size(), 0,
					REVOCATION_TIMEOUT);
			int handshakesAfterRevocation = handshakes.count();
			second.screenshot("chat-revoked");

			// The revoked pages do not try again: their status stays, no handshake
			// reaches
			// the server and no connection of that session comes back.
			second.holds("the revoked pages and the laptop's session",
					(tab) -> List.of(tab.attribute("status", "data-status"), third.attribute("status", "data-status"),
							connectionsOfSession(laptopSession).size(), handshakes.count()),
					List.of("revoked", "revoked", 0, handshakesAfterRevocation), STAYS_REVOKED);

			// alice's other session was not touched.
			onPhone.awaitAttribute("status", "data-status", "open");
			assertThat(connectionsOfSession(phoneSession)).as("the phone's connections").hasSize(1);
			send(onPhone, "Still connected on the phone");
			onPhone.awaitItem("messages", "alice: Still connected on the phone");
			assertThat(second.items("messages")).as("a revoked page gets nothing more")
				.doesNotContain("alice: Still connected on the phone");
		}
	}

	@Test
	void aliceAndBobInRoomASeeEachOtherAndEachOthersMessagesAndAThirdUserInRoomBSeesNoneOfIt() {
		try (Browser alicesBrowser = HeadlessChromium.launch();
				Browser bobsBrowser = HeadlessChromium.launch();
				Browser adminsBrowser = HeadlessChromium.launch()) {
			Tab alice = enterRoom(login(alicesBrowser, "alice"), "a");
			Tab bob = enterRoom(login(bobsBrowser, "bob"), "a");
			// The third user: the demo has alice, bob and admin (samples.md).
			Tab third = enterRoom(login(adminsBrowser, "admin"), "b");
			awaitMembers(alice, "alice", "bob");
			awaitMembers(bob, "alice", "bob");
			awaitMembers(third, "admin");

			say(alice, "Hello bob");
			bob.awaitItem("room-messages", "alice: Hello bob");
			alice.awaitItem("room-messages", "alice: Hello bob");
			alice.await("the room input once sent", (tab) -> tab.property("say-text", "value"), "",
					Tab.DEFAULT_TIMEOUT);
			say(bob, "Hello alice");
			alice.awaitItem("room-messages", "bob: Hello alice");
			bob.awaitItem("room-messages", "bob: Hello alice");
			say(third, "Anyone in b?");
			third.awaitItem("room-messages", "admin: Anyone in b?");
			// The third user's own message came back after alice's and bob's had reached
			// room a: had they reached room b, they would be listed before it.
			assertThat(third.items("room-messages")).as("room b").containsExactly("admin: Anyone in b?");
			assertThat(third.items("room-members")).as("room b's members").containsExactly("admin");
			assertThat(alice.items("room-messages")).as("room a on alice's page")
				.containsExactly("alice: Hello bob", "bob: Hello alice");
			assertThat(alice.items("room-members")).as("room a's members on alice's page")
				.containsExactly("alice", "bob");
			assertThat(alice.items("messages")).as("rooms leave the user's own messages alone")
				.doesNotContain("alice: Hello bob", "bob: Hello alice");
			alice.screenshot("chat-room-alice");
			bob.screenshot("chat-room-bob");
			third.screenshot("chat-room-b");

			// bob goes to room b: alice sees him leave, the third user sees him come.
			enterRoom(bob, "b");
			awaitMembers(alice, "alice");
			awaitMembers(third, "admin", "bob");
			awaitMembers(bob, "admin", "bob");
			say(alice, "Alone now");
			alice.awaitItem("room-messages", "alice: Alone now");
			say(bob, "Hi admin");
			third.awaitItem("room-messages", "bob: Hi admin");
			assertThat(bob.items("room-messages")).as("a room entered anew starts empty")
				.containsExactly("bob: Hi admin");
		}
	}

	@Test
	void aPageWhoseConnectionDroppedGetsTheRoomMessagesItMissedOnceEachInOrder() {
		try (Browser alicesBrowser = HeadlessChromium.launch(); Browser bobsBrowser = HeadlessChromium.launch()) {
			Tab alice = enterRoom(login(alicesBrowser, "alice"), "recovery");
			Tab bob = enterRoom(login(bobsBrowser, "bob"), "recovery");
			awaitMembers(alice, "alice", "bob");
			say(bob, "before the drop");
			alice.awaitItem("room-messages", "bob: before the drop");
			List<LiveConnection> dropped = List.copyOf(app.getBean(ConnectionRegistry.class).findByUser("alice"));
			assertThat(dropped).hasSize(1);
			String droppedId = dropped.get(0).getId();
			HandshakeCounter handshakes = app.getBean(HandshakeCounter.class);
			// The page stays away (its handshakes are refused) while bob's messages are
			// sent.
			handshakes.refuse(true);
			try {
				dropped.get(0).close(1011, "");
				alice.awaitAttribute("status", "data-status", "reconnecting");
				bob.await("the room's members", (tab) -> app.getBean(Topics.class).findMembers("room:recovery").size(),
						1, Tab.DEFAULT_TIMEOUT);
				Broadcaster broadcaster = app.getBean(Broadcaster.class);
				for (int i = 1; i <= 3; i++) {
					broadcaster.send(BroadcastTarget.topic("room:recovery"),
							Map.of("kind", "message", "room", "recovery", "user", "bob", "text", "missed " + i));
				}
			}
			finally {
				handshakes.refuse(false);
			}
			alice.awaitItem("room-messages", "bob: missed 3");
			alice.awaitAttribute("status", "data-status", "open");
			assertThat(app.getBean(ConnectionRegistry.class).findByUser("alice")).as("a new connection")
				.singleElement()
				.extracting(LiveConnection::getId)
				.isNotEqualTo(droppedId);
			say(bob, "after the drop");
			alice.awaitItem("room-messages", "bob: after the drop");
			assertThat(alice.items("room-messages")).as("replayed once each, in order")
				.containsExactly("bob: before the drop", "bob: missed 1", "bob: missed 2", "bob: missed 3",
						"bob: after the drop");
			assertThat(alice.text("room-note")).as("recovered: no reset").isEmpty();
			bob.awaitItem("room-messages", "bob: after the drop");
		}
	}

	@Test
	void aRoomOfTabsSharingOneSocketOutlivesTheLeaderTabAndMissesNothing() {
		try (Browser alicesBrowser = HeadlessChromium.launch(); Browser bobsBrowser = HeadlessChromium.launch()) {
			login(alicesBrowser, "alice");
			Tab first = openSharedRoom(alicesBrowser, "shared", "leader");
			Tab second = openSharedRoom(alicesBrowser, "shared", "follower");
			Tab bob = enterRoom(login(bobsBrowser, "bob"), "shared");
			awaitMembers(second, "alice", "bob");
			say(bob, "one");
			first.awaitItem("room-messages", "bob: one");
			second.awaitItem("room-messages", "bob: one");
			first.close();
			// Said while the tabs hand over: the new leader's subscription recovers it.
			say(bob, "two");
			second.awaitAttribute("role", "data-role", "leader", HANDOVER);
			second.awaitItem("room-messages", "bob: two");
			second.awaitAttribute("status", "data-status", "open");
			say(bob, "three");
			second.awaitItem("room-messages", "bob: three");
			assertThat(second.items("room-messages")).as("once each, in order")
				.containsExactly("bob: one", "bob: two", "bob: three");
			assertThat(second.text("room-note")).as("recovered: no reset").isEmpty();
			awaitMembers(bob, "alice", "bob");
		}
	}

	/**
	 * A tab of the chat page that shares the browser's socket, in a room.
	 */
	private static Tab openSharedRoom(Browser browser, String room, String role) {
		return browser.open("http://localhost:" + port + "/?shared=1&room=" + room)
			.awaitAttribute("role", "data-role", role)
			.awaitAttribute("room", "data-joined", room);
	}

	/**
	 * Counts the requests to the live endpoint, refused handshakes included: a page that
	 * kept reconnecting after its session was revoked would show up here.
	 */
	static class HandshakeCounter {

		private final AtomicInteger count = new AtomicInteger();

		private volatile boolean refusing;

		int count() {
			return this.count.get();
		}

		/** While set, handshakes get 503, so that a page stays disconnected. */
		void refuse(boolean refuse) {
			this.refusing = refuse;
		}

		@Bean
		FilterRegistrationBean<Filter> handshakeCountingFilter() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>((request, response, chain) -> {
				this.count.incrementAndGet();
				if (this.refusing) {
					((HttpServletResponse) response).sendError(503);
					return;
				}
				chain.doFilter(request, response);
			});
			registration.addUrlPatterns("/live");
			registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
			return registration;
		}

	}

}
