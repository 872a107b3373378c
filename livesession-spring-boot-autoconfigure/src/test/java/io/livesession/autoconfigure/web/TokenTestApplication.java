package io.livesession.autoconfigure.web;

import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import io.livesession.GroupInitializer;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtEncoder;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * A resource server: {@code GET /token} (HTTP Basic) issues a JWT signed with a key pair
 * generated at startup, and the live endpoint takes it as the {@code access_token} query
 * parameter, through Spring Security's JWT support. Anonymous handshakes get 401.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
@Import({ LiveTestApplication.TestActions.class, TokenTestApplication.Tokens.class })
class TokenTestApplication {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		// Browsers cannot set headers on a WebSocket handshake: the token comes in the
		// query (GET requests only, as Spring Security allows it).
		DefaultBearerTokenResolver tokens = new DefaultBearerTokenResolver();
		tokens.setAllowUriQueryParameter(true);
		return http
			.authorizeHttpRequests(
					(requests) -> requests.requestMatchers("/token").authenticated().anyRequest().permitAll())
			.httpBasic(Customizer.withDefaults())
			.oauth2ResourceServer((server) -> server.bearerTokenResolver(tokens).jwt(Customizer.withDefaults()))
			.sessionManagement((sessions) -> sessions.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.build();
	}

	@Bean
	UserDetailsService users() {
		return new InMemoryUserDetailsManager(
				User.withUsername("alice").password("{noop}" + LiveTestApplication.PASSWORD).roles("USER").build());
	}

	@Bean
	KeyPair tokenKeys() throws NoSuchAlgorithmException {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		return generator.generateKeyPair();
	}

	@Bean
	JwtEncoder jwtEncoder(KeyPair keys) {
		RSAKey key = new RSAKey.Builder((RSAPublicKey) keys.getPublic()).privateKey((RSAPrivateKey) keys.getPrivate())
			.build();
		return new NimbusJwtEncoder(new ImmutableJWKSet<>(new JWKSet(key)));
	}

	@Bean
	JwtDecoder jwtDecoder(KeyPair keys) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey((RSAPublicKey) keys.getPublic()).build();
		// No clock skew, so that the test sees a token refused right after its exp.
		decoder.setJwtValidator(new JwtTimestampValidator(Duration.ZERO));
		return decoder;
	}

	@Bean
	GroupInitializer counterInitializer() {
		return (state) -> state.setAttribute("counter", new LiveTestApplication.MutableCounter());
	}

	@RestController
	static class Tokens {

		private final JwtEncoder encoder;

		Tokens(JwtEncoder encoder) {
			this.encoder = encoder;
		}

		/**
		 * A token for the authenticated user, valid for the given number of seconds
		 * (negative for one that has already expired).
		 */
		@GetMapping("/token")
		String token(Authentication authentication, @RequestParam(defaultValue = "300") long seconds) {
			Instant now = Instant.now();
			JwtClaimsSet claims = JwtClaimsSet.builder()
				.subject(authentication.getName())
				.issuedAt(now.minusSeconds(600))
				.expiresAt(now.plusSeconds(seconds))
				.build();
			return this.encoder.encode(JwtEncoderParameters.from(claims)).getTokenValue();
		}

	}

}
