package io.livesession.identity;

import java.security.Principal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.livesession.ConnectRequest;
import org.junit.jupiter.api.Test;

import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link DefaultGroupResolver}.
 */
class DefaultGroupResolverTests {

	private final DefaultGroupResolver resolver = new DefaultGroupResolver();

	@Test
	void authenticatedUserGetsTheUserGroup() {
		assertThat(this.resolver.resolveGroup(user("alice", "some-anonymous-id"))).isEqualTo("user:alice");
	}

	@Test
	void authenticatedUserGetsTheSameGroupFromEveryBrowser() {
		String first = this.resolver
			.resolveGroup(user("alice", AnonymousCookies.deriveId(AnonymousCookies.generate())));
		String second = this.resolver
			.resolveGroup(user("alice", AnonymousCookies.deriveId(AnonymousCookies.generate())));
		assertThat(first).isEqualTo(second).isEqualTo("user:alice");
	}

	@Test
	void anonymousBrowserGetsTheAnonymousGroupOfItsId() {
		String anonymousId = AnonymousCookies.deriveId(AnonymousCookies.generate());
		assertThat(this.resolver.resolveGroup(anonymous(anonymousId))).isEqualTo("anon:" + anonymousId);
	}

	@Test
	void aUserNamedLikeAnAnonymousGroupDoesNotGetThatGroup() {
		String anonymousGroup = this.resolver.resolveGroup(anonymous("x"));
		assertThat(anonymousGroup).isEqualTo("anon:x");
		assertThat(this.resolver.resolveGroup(user("anon:x", "y"))).isEqualTo("user:anon:x")
			.isNotEqualTo(anonymousGroup);
	}

	@Test
	void userGroupsAndAnonymousGroupsNeverCollide() {
		String anonymousId = AnonymousCookies.deriveId(AnonymousCookies.generate());
		List<String> names = List.of("", "x", "anon:", "anon:x", "anon:" + anonymousId, "user:", "user:x", ":",
				anonymousId, "ANON:x", " anon:x");
		Set<String> userGroups = new HashSet<>();
		Set<String> anonymousGroups = new HashSet<>();
		for (String name : names) {
			userGroups.add(this.resolver.resolveGroup(user(name, anonymousId)));
			anonymousGroups.add(this.resolver.resolveGroup(anonymous(name.isEmpty() ? "-" : name)));
		}
		anonymousGroups.add(this.resolver.resolveGroup(anonymous(anonymousId)));
		assertThat(userGroups).hasSize(names.size());
		List<String> both = new ArrayList<>(userGroups);
		both.retainAll(anonymousGroups);
		assertThat(both).isEmpty();
		assertThat(userGroups).allSatisfy((group) -> assertThat(group).startsWith(DefaultGroupResolver.USER_PREFIX));
		assertThat(anonymousGroups)
			.allSatisfy((group) -> assertThat(group).startsWith(DefaultGroupResolver.ANONYMOUS_PREFIX));
	}

	private static ConnectRequest user(String name, String anonymousId) {
		Principal principal = () -> name;
		return new ConnectRequest(request(), name, principal, Set.of("ROLE_USER"), anonymousId);
	}

	private static ConnectRequest anonymous(String anonymousId) {
		return new ConnectRequest(request(), null, null, Set.of(), anonymousId);
	}

	private static ServletServerHttpRequest request() {
		return new ServletServerHttpRequest(new MockHttpServletRequest());
	}

}
