package io.livesession.identity;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.servlet.http.Cookie;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link AnonymousCookies}.
 */
class AnonymousCookiesTests {

	private static final String NAME = "LIVESESSION";

	private static final Duration MAX_AGE = Duration.ofDays(30);

	/** 42 characters that are valid anywhere in a value. */
	private static final String PREFIX = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP";

	private final AnonymousCookies cookies = new AnonymousCookies(NAME, MAX_AGE, false);

	@Test
	void generateGivesFortyThreeBase64UrlCharactersThatAreValid() {
		for (int i = 0; i < 200; i++) {
			String value = AnonymousCookies.generate();
			assertThat(value).hasSize(43).matches("[A-Za-z0-9_-]{43}");
			assertThat(AnonymousCookies.isValid(value)).as(value).isTrue();
		}
	}

	@Test
	void generateGivesADifferentValueEachTime() {
		Set<String> values = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			values.add(AnonymousCookies.generate());
		}
		assertThat(values).hasSize(1000);
	}

	@Test
	void isValidAcceptsAValueWhoseLastCharacterHasTheUnusedBitsClear() {
		assertThat(PREFIX).hasSize(42);
		for (char last : List.of('A', 'E', 'I', 'w', '0', '4', '8')) {
			assertThat(AnonymousCookies.isValid(PREFIX + last)).as("ending with %s", last).isTrue();
		}
	}

	@Test
	void isValidRejectsNull() {
		assertThat(AnonymousCookies.isValid(null)).isFalse();
	}

	@Test
	void isValidRejectsAWrongLength() {
		assertThat(AnonymousCookies.isValid("")).isFalse();
		assertThat(AnonymousCookies.isValid(PREFIX)).isFalse();
		assertThat(AnonymousCookies.isValid(PREFIX + "AA")).isFalse();
		assertThat(AnonymousCookies.isValid(AnonymousCookies.generate() + "A")).isFalse();
		assertThat(AnonymousCookies.isValid(AnonymousCookies.generate().substring(1))).isFalse();
	}

	@Test
	void isValidRejectsCharactersOutsideTheBase64UrlAlphabet() {
		for (char bad : List.of('+', '/', '=', '.', ' ', '%', ';', '\u00e9')) {
			assertThat(AnonymousCookies.isValid(bad + PREFIX.substring(1) + "A")).as("starting with %s", bad).isFalse();
			assertThat(AnonymousCookies.isValid(PREFIX + bad)).as("ending with %s", bad).isFalse();
		}
	}

	@Test
	void isValidRejectsALastCharacterWithTheUnusedBitsSet() {
		for (char last : List.of('B', 'C', 'D', 'F', 'x', '1', '-', '_')) {
			assertThat(AnonymousCookies.isValid(PREFIX + last)).as("ending with %s", last).isFalse();
		}
	}

	@Test
	void deriveIdIsStable() {
		String value = AnonymousCookies.generate();
		assertThat(AnonymousCookies.deriveId(value)).isEqualTo(AnonymousCookies.deriveId(value));
	}

	@Test
	void deriveIdDiffersPerValue() {
		Set<String> ids = new HashSet<>();
		for (int i = 0; i < 1000; i++) {
			ids.add(AnonymousCookies.deriveId(AnonymousCookies.generate()));
		}
		assertThat(ids).hasSize(1000);
		assertThat(AnonymousCookies.deriveId(PREFIX + "A")).isNotEqualTo(AnonymousCookies.deriveId(PREFIX + "E"));
	}

	@Test
	void deriveIdNeverEqualsOrContainsTheValue() {
		for (int i = 0; i < 200; i++) {
			String value = AnonymousCookies.generate();
			String id = AnonymousCookies.deriveId(value);
			assertThat(id).isNotEqualTo(value).doesNotContain(value).matches("[A-Za-z0-9_-]{43}");
		}
	}

	@Test
	void resolveWithoutCookieIssuesOne() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		String value = this.cookies.resolve(request, response);
		assertThat(this.cookies.verify(value)).isTrue();
		List<String> headers = response.getHeaders(HttpHeaders.SET_COOKIE);
		assertThat(headers).hasSize(1);
		String header = headers.get(0);
		assertThat(header).startsWith(NAME + "=" + value + ";")
			.contains("; Path=/")
			.contains("; Max-Age=" + MAX_AGE.toSeconds())
			.contains("; HttpOnly")
			.contains("; SameSite=Lax")
			.doesNotContain("Secure");
		assertThat(request.getAttribute(AnonymousCookies.VALUE_ATTRIBUTE)).isEqualTo(value);
	}

	@Test
	void resolveWithoutCookieIssuesOneForTheContextPath() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setContextPath("/app");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.cookies.resolve(request, response);
		assertThat(response.getHeader(HttpHeaders.SET_COOKIE)).contains("; Path=/app").doesNotContain("Path=/;");
	}

	@Test
	void resolveIssuesASecureCookieOnASecureRequest() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSecure(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.cookies.resolve(request, response);
		assertThat(response.getHeader(HttpHeaders.SET_COOKIE)).contains("; Secure");
	}

	@Test
	void resolveIssuesASecureCookieWhenConfiguredEvenOnAnInsecureRequest() {
		AnonymousCookies secure = new AnonymousCookies(NAME, MAX_AGE, true);
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		secure.resolve(request, response);
		assertThat(response.getHeader(HttpHeaders.SET_COOKIE)).contains("; Secure");
	}

	@Test
	void resolveWithAValidCookieKeepsItAndIssuesNothing() {
		String existing = this.cookies.issue();
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie("other", "x"), new Cookie(NAME, existing));
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(this.cookies.resolve(request, response)).isEqualTo(existing);
		assertThat(response.getHeaders(HttpHeaders.SET_COOKIE)).isEmpty();
	}

	@Test
	void resolveWithAMalformedCookieReplacesIt() {
		String malformed = PREFIX + "B";
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie(NAME, malformed));
		MockHttpServletResponse response = new MockHttpServletResponse();
		String value = this.cookies.resolve(request, response);
		assertThat(value).isNotEqualTo(malformed);
		assertThat(this.cookies.verify(value)).isTrue();
		assertThat(response.getHeaders(HttpHeaders.SET_COOKIE)).singleElement()
			.asString()
			.startsWith(NAME + "=" + value + ";");
	}

	@Test
	void resolveWithAnEmptyCookieReplacesIt() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie(NAME, ""));
		MockHttpServletResponse response = new MockHttpServletResponse();
		String value = this.cookies.resolve(request, response);
		assertThat(this.cookies.verify(value)).isTrue();
		assertThat(response.getHeaders(HttpHeaders.SET_COOKIE)).hasSize(1);
	}

	@Test
	void resolveWithTwoCookiesOfTheNameReplacesThemEvenWhenBothAreValid() {
		String first = this.cookies.issue();
		String second = this.cookies.issue();
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie(NAME, first), new Cookie(NAME, second));
		MockHttpServletResponse response = new MockHttpServletResponse();
		String value = this.cookies.resolve(request, response);
		assertThat(value).isNotIn(first, second);
		assertThat(this.cookies.verify(value)).isTrue();
		assertThat(response.getHeaders(HttpHeaders.SET_COOKIE)).singleElement()
			.asString()
			.startsWith(NAME + "=" + value + ";");
	}

	@Test
	void resolveIsIdempotentWithinOneRequest() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		String first = this.cookies.resolve(request, response);
		String second = this.cookies.resolve(request, response);
		assertThat(second).isEqualTo(first);
		assertThat(response.getHeaders(HttpHeaders.SET_COOKIE)).hasSize(1);
	}

	@Test
	void resolveIsIdempotentWithinOneRequestWithAMalformedCookie() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie(NAME, "short"));
		MockHttpServletResponse response = new MockHttpServletResponse();
		String first = this.cookies.resolve(request, response);
		String second = this.cookies.resolve(request, response);
		assertThat(second).isEqualTo(first);
		assertThat(response.getHeaders(HttpHeaders.SET_COOKIE)).hasSize(1);
	}

	@Test
	void resolveIssuesADifferentValueForEachNewBrowser() {
		String first = this.cookies.resolve(new MockHttpServletRequest(), new MockHttpServletResponse());
		String second = this.cookies.resolve(new MockHttpServletRequest(), new MockHttpServletResponse());
		assertThat(first).isNotEqualTo(second);
	}

	@Test
	void issuedValuesAreFortyThreeRandomCharactersADotAndATagThatVerifies() {
		for (int i = 0; i < 200; i++) {
			String value = this.cookies.issue();
			assertThat(value).matches("[A-Za-z0-9_-]{43}\\.[A-Za-z0-9_-]{43}");
			assertThat(AnonymousCookies.isValid(value.substring(0, 43))).isTrue();
			assertThat(this.cookies.verify(value)).as(value).isTrue();
		}
	}

	@Test
	void aWellFormedValueThatWasNeverIssuedDoesNotVerify() {
		String random = AnonymousCookies.generate();
		String issued = this.cookies.issue();
		String tag = issued.substring(44);
		assertThat(this.cookies.verify(random)).as("no tag").isFalse();
		assertThat(this.cookies.verify(random + ".")).as("empty tag").isFalse();
		assertThat(this.cookies.verify(random + "." + "A".repeat(43))).as("made-up tag").isFalse();
		assertThat(this.cookies.verify(random + "." + tag)).as("another value's tag").isFalse();
		assertThat(this.cookies.verify(issued.substring(0, 86) + (issued.endsWith("A") ? "B" : "A")))
			.as("one character of the tag changed")
			.isFalse();
		assertThat(this.cookies.verify(issued + "A")).as("longer").isFalse();
		assertThat(this.cookies.verify(null)).isFalse();
	}

	@Test
	void aValueIssuedWithAnotherKeyDoesNotVerifyAndOneWithTheSameKeyDoes() {
		byte[] key = "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
		AnonymousCookies one = new AnonymousCookies(NAME, MAX_AGE, false, () -> key);
		AnonymousCookies two = new AnonymousCookies(NAME, MAX_AGE, false, () -> key.clone());
		String value = one.issue();
		assertThat(two.verify(value)).as("another instance with the same key").isTrue();
		assertThat(this.cookies.verify(value)).as("another key").isFalse();
	}

	@Test
	void resolveWithAForgedValueReplacesIt() {
		String forged = AnonymousCookies.generate() + "." + "A".repeat(43);
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie(NAME, forged));
		MockHttpServletResponse response = new MockHttpServletResponse();
		String value = this.cookies.resolve(request, response);
		assertThat(value).isNotEqualTo(forged);
		assertThat(AnonymousCookies.deriveId(value)).isNotEqualTo(AnonymousCookies.deriveId(forged));
		assertThat(response.getHeaders(HttpHeaders.SET_COOKIE)).singleElement()
			.asString()
			.startsWith(NAME + "=" + value + ";");
	}

	@Test
	void aSecureCookieAtTheRootIsNamedWithTheHostPrefixAndReadUnderThatName() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSecure(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		String value = this.cookies.resolve(request, response);
		assertThat(response.getHeader(HttpHeaders.SET_COOKIE)).startsWith("__Host-" + NAME + "=" + value + ";")
			.contains("; Path=/")
			.contains("; Secure")
			.doesNotContain("Domain");
		MockHttpServletRequest next = new MockHttpServletRequest();
		next.setSecure(true);
		next.setCookies(new Cookie(NAME, this.cookies.issue()), new Cookie("__Host-" + NAME, value));
		MockHttpServletResponse nextResponse = new MockHttpServletResponse();
		assertThat(this.cookies.resolve(next, nextResponse)).isEqualTo(value);
		assertThat(nextResponse.getHeaders(HttpHeaders.SET_COOKIE)).isEmpty();
	}

	@Test
	void aSecureCookieUnderAContextPathKeepsThePlainName() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setSecure(true);
		request.setContextPath("/app");
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.cookies.resolve(request, response);
		assertThat(response.getHeader(HttpHeaders.SET_COOKIE)).startsWith(NAME + "=").contains("; Secure");
	}

	@Test
	void rotateIssuesAFreshValueForTheRestOfTheRequest() {
		String existing = this.cookies.issue();
		MockHttpServletRequest request = new MockHttpServletRequest();
		request.setCookies(new Cookie(NAME, existing));
		MockHttpServletResponse response = new MockHttpServletResponse();
		assertThat(this.cookies.resolve(request, response)).isEqualTo(existing);
		String rotated = this.cookies.rotate(request, response);
		assertThat(rotated).isNotEqualTo(existing);
		assertThat(this.cookies.verify(rotated)).isTrue();
		assertThat(this.cookies.resolve(request, response)).isEqualTo(rotated);
		assertThat(response.getHeaders(HttpHeaders.SET_COOKIE)).singleElement()
			.asString()
			.startsWith(NAME + "=" + rotated + ";");
	}

	@Test
	void deriveIdIgnoresTheTag() {
		String value = this.cookies.issue();
		assertThat(AnonymousCookies.deriveId(value)).isEqualTo(AnonymousCookies.deriveId(value.substring(0, 43)));
	}

}
