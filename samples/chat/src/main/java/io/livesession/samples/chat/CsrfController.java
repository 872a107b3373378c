package io.livesession.samples.chat;

import java.util.Map;

import org.springframework.security.web.csrf.CsrfToken;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Hands the page its CSRF token for the logout form (the page is static HTML).
 *
 * @author livesession
 */
@RestController
class CsrfController {

	@GetMapping("/csrf")
	Map<String, String> csrf(CsrfToken token) {
		return Map.of("token", token.getToken());
	}

}
