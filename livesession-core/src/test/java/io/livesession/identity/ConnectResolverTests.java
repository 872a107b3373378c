package io.livesession.identity;

import java.security.Principal;

import io.livesession.event.LiveConnectionRejectedEvent;
import org.junit.jupiter.api.Test;

import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ConnectResolver}.
 */
class ConnectResolverTests {

	@Test
	void aRejectionCarriesThePathAndTheClientAddressOfTheRequestAsPlainValues() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/live");
		request.setQueryString("token=secret");
		request.setRemoteAddr("10.0.0.7");
		Principal principal = () -> "bob";
		LiveConnectionRejectedEvent event = ConnectResolver.rejected(new ServletServerHttpRequest(request), "bob",
				principal, LiveConnectionRejectedEvent.Reason.ORIGIN, null);
		assertThat(event.getPath()).isEqualTo("/live");
		assertThat(event.getRemoteAddress()).isEqualTo("10.0.0.7");
		assertThat(event.getUserId()).isEqualTo("bob");
		assertThat(event.getPrincipal()).isSameAs(principal);
		assertThat(event.getReason()).isEqualTo(LiveConnectionRejectedEvent.Reason.ORIGIN);
		assertThat(event.getDetails()).doesNotContainValue("token=secret");
	}

}
